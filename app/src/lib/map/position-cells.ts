/**
 * A point picked on the map (or given by the device) written into the form's cells, and the
 * point the cells hold now. A geopoint field gets its schema format; a latitude/longitude pair
 * gets two decimal numbers. Unreadable cells give no point, so the map shows no marker.
 */
import type { Field } from '@datapatch/core';
import type { PositionFields } from '../forms/field-input.ts';
import {
  COORDINATE_DECIMALS,
  geopointFormat,
  type Point,
  readGeopointCell,
  writeGeopoint,
} from './geopoint-format.ts';

function formatOf(fields: readonly Field[], name: string) {
  return geopointFormat(fields.find((f) => f.name === name)?.format);
}

export function positionCells(
  position: NonNullable<PositionFields>,
  fields: readonly Field[],
  point: Point,
): Record<string, string> {
  if (position.kind === 'geopoint')
    return { [position.field]: writeGeopoint(point, formatOf(fields, position.field)) };
  return {
    [position.latitude]: point.lat.toFixed(COORDINATE_DECIMALS),
    [position.longitude]: point.lon.toFixed(COORDINATE_DECIMALS),
  };
}

function number(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return Number.NaN;
  return Number(text.trim().replace(',', '.'));
}

export function pointOfCells(
  position: NonNullable<PositionFields>,
  fields: readonly Field[],
  texts: Readonly<Record<string, string>>,
): Point | null {
  if (position.kind === 'geopoint')
    return readGeopointCell(texts[position.field], formatOf(fields, position.field));
  const lat = number(texts[position.latitude]);
  const lon = number(texts[position.longitude]);
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180
    ? { lat, lon }
    : null;
}

/** A GeoJSON Point of a picked position (longitude first, as GeoJSON says), as the cell's text. */
export function pointShape(point: Point): string {
  const round = (n: number) => Number(n.toFixed(COORDINATE_DECIMALS));
  return JSON.stringify({ type: 'Point', coordinates: [round(point.lon), round(point.lat)] });
}
