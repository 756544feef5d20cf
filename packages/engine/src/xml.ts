import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';

/** One XML element, namespace-resolved. `text` is the concatenated character data. */
export interface XmlElement {
  readonly uri: string;
  readonly local: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Attributes in a foreign namespace, keyed `uri|local` (e.g. the `guotu:` extensions). */
  readonly nsAttrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
  readonly line: number;
}

export const BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
export const GUOTU_NS = 'http://guotu.org/schema/bpmn';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** Parses XML into a tree; returns the error message instead of throwing on malformed input. */
export function parseXml(xml: string): { root: XmlElement } | { error: string } {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let error: string | undefined;
  parser.on('error', (e: Error) => {
    error ??= e.message;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attrs: Record<string, string> = {};
    const nsAttrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      if (a.uri === '' || a.uri === tag.uri) attrs[a.local] = a.value;
      else nsAttrs[`${a.uri}|${a.local}`] = a.value;
    }
    const el: XmlElement = {
      uri: tag.uri,
      local: tag.local,
      attrs,
      nsAttrs,
      children: [],
      text: '',
      line: parser.line,
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  });
  const onText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    error ??= e instanceof Error ? e.message : String(e);
  }
  if (error !== undefined) return { error };
  if (!root) return { error: 'empty document' };
  return { root };
}

export function childrenNamed(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local);
}

export function firstChild(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}
