// Small helpers: how dates, periods and names are written, and a safe way to build DOM (text is never parsed as HTML).

/** A validity period: "2019-04-01 – 2022-06-30", "from 2020-01-01", "until 2019-12-31", or "undated". */
export function period(validFrom, validTo) {
  if (validFrom && validTo) return `${validFrom} – ${validTo}`;
  if (validFrom) return `from ${validFrom}`;
  if (validTo) return `until ${validTo}`;
  return 'undated';
}

/** OWNED_BY -> "owned by"; GP_PRACTICE -> "GP practice". */
export function words(code) {
  if (!code) return '';
  return code
    .toLowerCase()
    .split('_')
    .map((word) => (['gp', 'ics', 'ccg', 'pcn', 'csu'].includes(word) ? word.toUpperCase() : word))
    .join(' ');
}

/** A file-name-safe short form of a description. */
export function slug(text) {
  const value = String(text)
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 60)
    .replace(/-+$/, '');
  return value || 'graph';
}

/** Wraps text into lines of at most `width` characters, breaking at spaces where possible. */
export function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/\s+/)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Creates an element: el('a', { href, class: 'x', onclick: fn }, 'text', child, ...). Strings become text nodes;
 * null, undefined and false children are skipped; attributes set to null, undefined or false are left out.
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A link to a source, opened in a new tab without sending this page as referrer. */
export function sourceLink(source) {
  const title = source.title || source.url || source.id;
  if (!source.url || !/^https?:\/\//i.test(source.url)) {
    return el('span', {}, title);
  }
  return el('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer' }, title);
}
