/**
 * Undo and redo of one editor's own cell edits, as new edits through core's setCell (so the
 * changelog keeps both). Invariant: an undo only puts a value back where the cell still holds
 * what this editor wrote; a cell someone else changed since is left alone and reported.
 */
import { type Actor, type CellValue, readCell, setCell } from '@datapatch/core';
import type * as Y from 'yjs';

export type OwnEdit = { rowId: string; field: string; old: CellValue; new: CellValue };
export type StepResult =
  | { ok: true; edit: OwnEdit }
  | { ok: false; code: 'nothing' | 'changed-since'; edit?: OwnEdit };

const LIMIT = 200;

export class OwnUndo {
  readonly #undo: OwnEdit[] = [];
  readonly #redo: OwnEdit[] = [];
  constructor(
    readonly doc: Y.Doc,
    readonly actor: Actor,
  ) {}

  /** Edits a cell and remembers it; returns false when the cell already held the value. */
  set(rowId: string, field: string, value: CellValue): boolean {
    const old = readCell(this.doc, rowId, field) ?? null;
    if (setCell(this.doc, rowId, field, value, this.actor) === undefined) return false;
    this.#undo.push({ rowId, field, old, new: value });
    if (this.#undo.length > LIMIT) this.#undo.shift();
    this.#redo.length = 0;
    return true;
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }
  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  undo(): StepResult {
    return this.#step(this.#undo, this.#redo, 'old');
  }

  redo(): StepResult {
    return this.#step(this.#redo, this.#undo, 'new');
  }

  #step(from: OwnEdit[], to: OwnEdit[], target: 'old' | 'new'): StepResult {
    const edit = from.pop();
    if (edit === undefined) return { ok: false, code: 'nothing' };
    const expected = target === 'old' ? edit.new : edit.old;
    const current = readCell(this.doc, edit.rowId, edit.field) ?? null;
    if (current !== expected) return { ok: false, code: 'changed-since', edit };
    setCell(this.doc, edit.rowId, edit.field, edit[target], this.actor);
    to.push(edit);
    return { ok: true, edit };
  }
}
