// Keeps a cell from running as a formula when a spreadsheet opens a file made for it (OWASP "CSV
// injection"). Used only for files meant for spreadsheets ("for Excel"): data for programs is never
// altered. A value a spreadsheet reads as a number, a coordinate pair or a phone number is never touched.

/** The characters a spreadsheet formula needs to do harm start with one of these. */
const formulaStart = /^[=+\-@\t\r]/;
/**
 * Signs, digits, spaces, `.` and `,` only (`-3`, `-21.02,55.61`, `+33 1 23 45 67 89`, `-`): even
 * read as a formula it can only do sums of literal numbers — it names no function and no cell, so
 * it can neither reach outside the cell nor hide another value. A spreadsheet shows it as is.
 */
const numbersOnly = /^[+-][\d\s.,+-]*$/;
/** A number with an exponent (`-1.5e3`): its letter is not a cell name. */
const scientificNumber = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)[eE][+-]?\d+$/;

/** Whether a spreadsheet could run this text as a formula that calls a function or reads a cell. */
export function couldRunAsFormula(text: string): boolean {
  if (!formulaStart.test(text)) return false;
  return !(numbersOnly.test(text) || scientificNumber.test(text));
}

/** The text, with a leading `'` when a spreadsheet could run it (see `couldRunAsFormula`). */
export function neutraliseFormula(text: string): string {
  return couldRunAsFormula(text) ? `'${text}` : text;
}
