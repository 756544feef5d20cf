/**
 * The condition language: a small, documented subset of JUEL-style `${…}` expressions,
 * parsed to a JSON AST and evaluated by walking it — never eval/Function.
 *
 *   expr   := or
 *   or     := and ('||' and)*
 *   and    := unary ('&&' unary)*
 *   unary  := '!' unary | cmp
 *   cmp    := postfix (('=='|'!='|'<'|'<='|'>'|'>=') postfix)?
 *   postfix:= primary ('.' ident ('(' args ')')?)*      — only `.contains(x)` is a call
 *   primary:= number | 'string' | "string" | true | false | null | ident | '(' expr ')'
 */
export type Expr =
  | { readonly t: 'lit'; readonly v: string | number | boolean | null }
  | { readonly t: 'var'; readonly path: readonly string[] }
  | { readonly t: 'not'; readonly e: Expr }
  | { readonly t: 'and' | 'or'; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'cmp'; readonly op: CmpOp; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'contains'; readonly target: Expr; readonly arg: Expr };

type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

type Tok = { k: 'num'; v: number } | { k: 'str'; v: string } | { k: 'id'; v: string } | { k: 'op'; v: string };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '.', ','];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (
      /[0-9]/.test(c) ||
      (c === '-' && /[0-9]/.test(src[i + 1] ?? '') && (out.length === 0 || out[out.length - 1]?.k === 'op'))
    ) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
      const text = m?.[0] ?? c;
      out.push({ k: 'num', v: Number(text) });
      i += text.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        s += src[j] ?? '';
        j++;
      }
      if (j >= src.length) throw new ExpressionError(`unterminated string at ${i}`);
      out.push({ k: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$\u4e00-\u9fff]/.test(c)) {
      const m = /^[A-Za-z_$\u4e00-\u9fff][A-Za-z0-9_$\u4e00-\u9fff]*/.exec(src.slice(i));
      const text = m?.[0] ?? c;
      out.push({ k: 'id', v: text });
      i += text.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character '${c}' at ${i}`);
    out.push({ k: 'op', v: op });
    i += op.length;
  }
  return out;
}

/** Parses `${…}`, `#{…}` or a bare expression. Throws ExpressionError with the reason. */
export function parseExpression(source: string): Expr {
  let src = source.trim();
  const wrapped = /^[$#]\{([\s\S]*)\}$/.exec(src);
  if (wrapped) src = wrapped[1] ?? '';
  if (src.trim() === '') throw new ExpressionError('empty expression');
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t?.k === 'op' && t.v === v;
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new ExpressionError(`expected '${v}'`);
    pos++;
  };
  const or = (): Expr => {
    let l = and();
    while (isOp('||')) {
      pos++;
      l = { t: 'or', l, r: and() };
    }
    return l;
  };
  const and = (): Expr => {
    let l = unary();
    while (isOp('&&')) {
      pos++;
      l = { t: 'and', l, r: unary() };
    }
    return l;
  };
  const unary = (): Expr => {
    if (isOp('!')) {
      pos++;
      return { t: 'not', e: unary() };
    }
    return cmp();
  };
  const cmp = (): Expr => {
    const l = postfix();
    const t = peek();
    if (t?.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      pos++;
      return { t: 'cmp', op: t.v as CmpOp, l, r: postfix() };
    }
    return l;
  };
  const postfix = (): Expr => {
    let e = primary();
    while (isOp('.')) {
      pos++;
      const name = toks[pos++];
      if (name?.k !== 'id') throw new ExpressionError('expected a name after "."');
      if (isOp('(')) {
        pos++;
        if (name.v !== 'contains') throw new ExpressionError(`unsupported method '${name.v}' (only .contains)`);
        const arg = or();
        expect(')');
        e = { t: 'contains', target: e, arg };
      } else if (e.t === 'var') {
        e = { t: 'var', path: [...e.path, name.v] };
      } else throw new ExpressionError('property access on a non-variable');
    }
    return e;
  };
  const primary = (): Expr => {
    const t = toks[pos++];
    if (!t) throw new ExpressionError('unexpected end of expression');
    if (t.k === 'num' || t.k === 'str') return { t: 'lit', v: t.v };
    if (t.k === 'id') {
      if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { t: 'lit', v: null };
      return { t: 'var', path: [t.v] };
    }
    if (t.v === '(') {
      const e = or();
      expect(')');
      return e;
    }
    throw new ExpressionError(`unexpected '${t.v}'`);
  };
  const e = or();
  if (pos < toks.length) throw new ExpressionError(`unexpected trailing input`);
  return e;
}

export type Lookup = (name: string) => unknown;

export function evaluate(e: Expr, lookup: Lookup): unknown {
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'var': {
      let v: unknown = lookup(e.path[0] ?? '');
      for (const p of e.path.slice(1)) {
        v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
      }
      return v ?? null;
    }
    case 'not':
      return !truthy(evaluate(e.e, lookup));
    case 'and':
      return truthy(evaluate(e.l, lookup)) && truthy(evaluate(e.r, lookup));
    case 'or':
      return truthy(evaluate(e.l, lookup)) || truthy(evaluate(e.r, lookup));
    case 'contains': {
      const target = evaluate(e.target, lookup);
      const arg = evaluate(e.arg, lookup);
      if (typeof target === 'string') return target.includes(String(arg));
      if (Array.isArray(target)) return target.includes(arg);
      return false;
    }
    case 'cmp':
      return compare(e.op, evaluate(e.l, lookup), evaluate(e.r, lookup));
  }
}

function compare(op: CmpOp, a: unknown, b: unknown): boolean {
  const equal = a === b || (a == null && b == null);
  if (op === '==') return equal;
  if (op === '!=') return !equal;
  // Ordering only between two numbers or two strings; anything else is false, never coerced.
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')))
    return false;
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

/** A condition holds only for `true` (or the string "true", as form fields arrive); nothing else is coerced. */
export function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}
