/**
 * A field's title proposed from its column name, in words a reader expects: `code_postal` →
 * "Code postal", `dateOuverture` → "Date ouverture". Only separators and case change: letters,
 * accents and digits are kept as typed, and a name with nothing to split comes back capitalised.
 */

export function titleFromName(name: string): string {
  const words = name
    .trim()
    // camelCase and PascalCase: a lower-case letter or digit followed by an upper-case one.
    .replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2')
    .split(/[\s_.-]+/u)
    .filter((w) => w !== '');
  if (words.length === 0) return name;
  return words
    .map((word, i) => {
      // An acronym (CP, INSEE, URL) stays as it is; other words go to lower case after the first.
      const acronym = word.length > 1 && word === word.toUpperCase() && /\p{Lu}/u.test(word);
      const lower = acronym ? word : word.toLowerCase();
      return i === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
    })
    .join(' ');
}
