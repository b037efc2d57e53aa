// Keeps a CSV/XLSX cell from running as a formula when a spreadsheet opens it (OWASP "CSV
// injection"): text starting with = + - @ tab or CR gets a leading apostrophe. A cell that is only
// a plain number ("-12.5", "+33") cannot be a formula, so negative numbers stay readable numbers.

const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

export function neutraliseFormula(text: string): string {
  if (!formulaStart.test(text) || plainNumber.test(text)) return text;
  return `'${text}`;
}
