/**
 * A small, strict XML parser for the add-in manifest: elements, attributes, text, comments,
 * processing instructions and CDATA. It rejects what is not well-formed (mismatched or unclosed
 * tags, unquoted or duplicate attributes, stray '<' or '&', text outside the root) with a
 * line:column message. No DTDs, no external entities: a manifest needs neither.
 */
'use strict';

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const PREDEFINED = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class XmlError extends Error {
  constructor(message, text, index) {
    const before = text.slice(0, index).split('\n');
    super(`line ${before.length}, column ${before[before.length - 1].length + 1}: ${message}`);
    this.name = 'XmlError';
  }
}

function decodeEntities(raw, text, at) {
  return raw.replace(/&([^;&\s<]*);?/g, (whole, body, offset) => {
    if (!whole.endsWith(';')) throw new XmlError(`'&' must start an entity such as &amp;`, text, at + offset);
    if (body in PREDEFINED) return PREDEFINED[body];
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (numeric) return String.fromCodePoint(numeric[1][0] === 'x' ? parseInt(numeric[1].slice(1), 16) : parseInt(numeric[1], 10));
    throw new XmlError(`unknown entity &${body};`, text, at + offset);
  });
}

/**
 * Parses a document into { name, attributes, children, text, line } elements (children are
 * elements only; `text` is the concatenated character data of the element itself).
 */
function parseXml(text) {
  let i = 0;
  let root = null;
  const stack = [];
  const lineAt = (index) => text.slice(0, index).split('\n').length;
  const fail = (message, at = i) => {
    throw new XmlError(message, text, at);
  };
  const readName = () => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < text.length) {
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unclosed processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unclosed comment');
      if (text.slice(i + 4, end).includes('--')) fail("'--' is not allowed inside a comment");
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      if (!stack.length) fail('CDATA outside the root element');
      const end = text.indexOf(']]>', i);
      if (end < 0) fail('unclosed CDATA section');
      stack[stack.length - 1].text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      fail('DOCTYPE and other declarations are not supported in a manifest');
    } else if (text.startsWith('</', i)) {
      const start = i;
      i += 2;
      const name = readName();
      skipSpace();
      if (text[i] !== '>') fail(`expected '>' to close </${name}`);
      i++;
      const open = stack.pop();
      if (!open) fail(`closing tag </${name}> without an opening tag`, start);
      if (open.name !== name) fail(`</${name}> closes <${open.name}> (opened on line ${open.line})`, start);
    } else if (text[i] === '<') {
      const start = i;
      i++;
      const element = { name: readName(), attributes: {}, children: [], text: '', line: lineAt(start) };
      for (;;) {
        const hadSpace = /\s/.test(text[i]);
        skipSpace();
        if (text.startsWith('/>', i) || text[i] === '>') break;
        if (!hadSpace) fail('attributes must be separated by white space');
        const attrAt = i;
        const attr = readName();
        skipSpace();
        if (text[i] !== '=') fail(`attribute ${attr} needs a value`);
        i++;
        skipSpace();
        const quote = text[i];
        if (quote !== '"' && quote !== "'") fail(`the value of ${attr} must be quoted`);
        const end = text.indexOf(quote, i + 1);
        if (end < 0) fail(`unclosed value of ${attr}`);
        const raw = text.slice(i + 1, end);
        if (raw.includes('<')) fail(`'<' is not allowed in the value of ${attr}`, i + 1 + raw.indexOf('<'));
        if (attr in element.attributes) fail(`duplicate attribute ${attr}`, attrAt);
        element.attributes[attr] = decodeEntities(raw, text, i + 1);
        i = end + 1;
      }
      const selfClosing = text[i] === '/';
      i += selfClosing ? 2 : 1;
      if (stack.length) stack[stack.length - 1].children.push(element);
      else if (root) fail('a document has exactly one root element', start);
      else root = element;
      if (!selfClosing) stack.push(element);
    } else {
      const next = text.indexOf('<', i);
      const end = next < 0 ? text.length : next;
      const chunk = text.slice(i, end);
      if (!stack.length) {
        if (chunk.trim()) fail('text outside the root element');
      } else {
        stack[stack.length - 1].text += decodeEntities(chunk, text, i);
      }
      i = end;
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1].name}> (line ${stack[stack.length - 1].line}) is never closed`);
  if (!root) fail('no root element');
  return root;
}

/** Local part of a qualified name: bt:Image -> Image. */
function localName(name) {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Every element in document order (depth first). */
function walk(element, visit, parents = []) {
  visit(element, parents);
  for (const child of element.children) walk(child, visit, [...parents, element]);
}

function childrenNamed(element, name) {
  return element.children.filter((c) => localName(c.name) === name);
}

function childNamed(element, name) {
  return childrenNamed(element, name)[0];
}

/** Descendants whose local name matches, in document order. */
function findAll(element, name) {
  const found = [];
  walk(element, (e) => {
    if (e !== element && localName(e.name) === name) found.push(e);
  });
  return found;
}

module.exports = { parseXml, XmlError, localName, walk, childNamed, childrenNamed, findAll };
