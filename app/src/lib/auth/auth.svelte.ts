/**
 * The signed-in account as reactive state shared by the hub screens. Asked once per page
 * load (`ensureLoaded`), then changed only by signing in or out: the server stays the judge
 * of every right, this only decides what to show.
 */
import { reachFetch } from '../sync/server-reach.svelte.ts';
import { type Account, type AuthResult, fetchAccount, signIn, signOut } from './account.ts';

let account = $state.raw<Account | null>(null);
let loaded = $state(false);
/** Asking who is signed in failed (no answer, or the server's error): nobody is known, nobody is refused. */
let unanswered = $state(false);
let loading: Promise<void> | null = null;

export const auth = {
  get account(): Account | null {
    return account;
  },
  /** `account` is known (maybe null: nobody signed in). */
  get loaded(): boolean {
    return loaded;
  },
  /**
   * The server could not say who is signed in (out of reach, or failing): screens must not
   * tell a member to sign in, they may well be.
   */
  get unanswered(): boolean {
    return unanswered;
  },
  ensureLoaded(): Promise<void> {
    loading ??= fetchAccount(reachFetch).then((result) => {
      account = result.ok ? result.value : null;
      unanswered = !result.ok;
      loaded = true;
      // Asked again by the next screen that needs it.
      if (!result.ok) loading = null;
    });
    return loading;
  },
  /** Asks the server again (after "réessayer", or once it answers again). */
  retry(): Promise<void> {
    loading = null;
    return this.ensureLoaded();
  },
  async signIn(email: string, password: string): Promise<AuthResult<Account>> {
    const result = await signIn(reachFetch, email, password);
    if (result.ok) {
      account = result.value;
      unanswered = false;
      loaded = true;
    }
    return result;
  },
  /** Asks the server again (after joining or a password reset signed this browser in). */
  reload(): Promise<void> {
    loading = null;
    loaded = false;
    return this.ensureLoaded();
  },
  async signOut(): Promise<void> {
    await signOut(fetch);
    account = null;
    loading = null;
  },
};
