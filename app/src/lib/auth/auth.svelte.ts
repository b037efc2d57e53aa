/**
 * The signed-in account as reactive state shared by the hub screens. Asked once per page
 * load (`ensureLoaded`), then changed only by signing in or out: the server stays the judge
 * of every right, this only decides what to show.
 */
import { type Account, type AuthResult, fetchAccount, signIn, signOut } from './account.ts';

let account = $state.raw<Account | null>(null);
let loaded = $state(false);
let loading: Promise<void> | null = null;

export const auth = {
  get account(): Account | null {
    return account;
  },
  /** `account` is known (maybe null: nobody signed in). */
  get loaded(): boolean {
    return loaded;
  },
  ensureLoaded(): Promise<void> {
    loading ??= fetchAccount(fetch).then((result) => {
      account = result.ok ? result.value : null;
      loaded = true;
    });
    return loading;
  },
  async signIn(email: string, password: string): Promise<AuthResult<Account>> {
    const result = await signIn(fetch, email, password);
    if (result.ok) {
      account = result.value;
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
