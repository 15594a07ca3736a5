/**
 * A small picomatch-compatible subset, enough for Infisical's `$glob` conditions and fault paths:
 * `*` and `?` stay within one path segment, `**` spans segments (and a trailing `/**` also matches
 * the directory itself, as picomatch does), `{a,b}` alternatives, `[...]` classes.
 */
const cache = new Map<string, RegExp>();

/** Whether `glob` is a well-formed pattern (balanced braces and brackets, non-empty). @internal */
export function isValidGlob(glob: string): boolean {
  if (glob.length === 0) return false;
  try {
    globToRegExp(glob);
    return true;
  } catch {
    return false;
  }
}

/** @internal */
export function matchesGlob(value: string, glob: string): boolean {
  return globToRegExp(glob).test(value);
}

/** @internal */
export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') {
      if (glob.charAt(i + 1) === '*') {
        const atSegmentStart = i === 0 || glob.charAt(i - 1) === '/';
        const atSegmentEnd = i + 2 === glob.length || glob.charAt(i + 2) === '/';
        i++;
        if (atSegmentStart && atSegmentEnd) {
          if (out.endsWith('/') && i + 1 === glob.length) {
            out = `${out.slice(0, -1)}(?:/.*)?`;
          } else if (i + 1 < glob.length) {
            out += '(?:.*/)?';
            i++; // swallow the following '/'
          } else {
            out += '.*';
          }
          continue;
        }
        out += '.*';
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}') {
      if (braceDepth === 0) throw new SyntaxError('unbalanced }');
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) {
      out += '|';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) throw new SyntaxError('unbalanced [');
      const body = glob
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = end;
    } else {
      out += c.replace(/[.+^$()|\\\]]/g, '\\$&');
    }
  }
  if (braceDepth !== 0) throw new SyntaxError('unbalanced {');
  const re = new RegExp(`^${out}$`);
  cache.set(glob, re);
  return re;
}
