/**
 * Offline evaluation of the Kubernetes provider's `pulumi.com/waitFor` annotation against an object (the whole
 * resource: `metadata` and a sample `status`), faithful to pulumi-kubernetes >= 4.24.0.
 *
 * Upstream sources (pulumi/pulumi-kubernetes unless noted), ported here rule by rule:
 * - `provider/pkg/metadata/overrides.go` (`ReadyCondition`): the annotation is a JSON array of strings (all must hold)
 *   or a single expression; each starts with `jsonpath=` or `condition=`, anything else is an error. Every expression
 *   is parsed before any is evaluated.
 * - `provider/pkg/await/condition/all.go` (`All.Satisfied`): the checks run in order and stop at the first one that is
 *   unsatisfied or fails.
 * - `provider/pkg/jsonpath/jsonpath.go` (`Parse`, `Matches`): `jsonpath={path}[=value]`.
 * - `provider/pkg/await/condition/jsonpath.go` (`JSONPath.Satisfied`): not satisfied while `status.observedGeneration`
 *   is lower than `metadata.generation`.
 * - `provider/pkg/await/condition/custom.go` (`NewCustom`) and `kubectl.go` (`checkCondition`,
 *   `getObservedGeneration`, vendored from kubectl wait): `condition=Type[=Status]`.
 * - `provider/go.mod`: github.com/theory/jsonpath v0.9.0 (the RFC 9535 parser since 4.24.0, see `CHANGELOG.md`), up
 *   to 4.32.0 and the mirror's HEAD. Its `parser/lex.go` and `parser/parse.go` are ported below token for token, so
 *   this accepts and rejects what the provider does, with the same messages and positions, including two v0.9.0 bugs
 *   fixed later in theory/jsonpath: `.true`, `.false` and `.null` are rejected as names (fixed in v0.10.1), and blank
 *   space after the second or a later operand of `&&` ends the `&&` (fixed in v0.10.2, theory/jsonpath#24), so
 *   `a == 1 && b == 2 && c == 3` and `(x || a == 1 && b == 2 )` fail to parse. Its `spec/*.go`
 *   (selection and comparison) and `registry/funcs.go` (length, count, value, match, search) are ported too.
 * - kubernetes/apimachinery `pkg/apis/meta/v1/unstructured/helpers.go` (`NestedFieldNoCopy`, `NestedString`,
 *   `NestedInt64`, `NestedSlice`) and `pkg/util/json/json.go` (`convertNumber`: JSON integers are int64, other
 *   numbers float64). Here an integral JS number stands for an int64 and any other number for a float64.
 *
 * Go iterates maps in random order, so where a wildcard, filter or descendant segment walks a JSON object's members
 * the provider's "first match" is not deterministic; this evaluator uses the object's own key order.
 */
export interface WaitForResult {
  readonly satisfied: boolean;
  readonly checks: {
    readonly expression: string;
    readonly satisfied: boolean;
    /** JSONPath: every match, in document order; condition: the status of the condition that decided. */
    readonly found: unknown[];
    /** Why the check is not satisfied (or what it found), in the provider's words where it has some. */
    readonly message?: string;
    /**
     * The error the provider would fail with at this check. It is thrown instead when every earlier check holds, as
     * the provider only reaches a check after the earlier ones (`All.Satisfied`).
     */
    readonly error?: string;
  }[];
}

type Check = WaitForResult["checks"][number];

interface WaitCondition {
  readonly expression: string;
  evaluate(object: unknown): Check;
}

/**
 * Evaluates a `pulumi.com/waitFor` annotation against `object` as the provider would on one poll. Throws when the
 * provider would reject the annotation (unknown prefix, unparseable JSONPath, `=` misuse) or fail the await (a
 * non-primitive JSONPath match compared with a value, malformed `.status.conditions`, an upstream panic).
 */
export function evaluateWaitFor(annotation: string, object: unknown): WaitForResult {
  // overrides.go ReadyCondition: an empty (or absent) annotation means no waitFor at all: the resource is ready at once.
  if (annotation === "") return { satisfied: true, checks: [] };
  const expressions = annotationExpressions(annotation);
  if (expressions.length === 0) throw new Error("at least one condition must be specified");
  const conditions = expressions.map(parseWaitCondition);
  const checks: Check[] = [];
  let reached = true;
  for (const condition of conditions) {
    let check: Check;
    try {
      check = condition.evaluate(object);
    } catch (e) {
      check = { expression: condition.expression, satisfied: false, found: [], error: (e as Error).message };
    }
    if (check.error !== undefined && reached) throw new Error(check.error);
    checks.push(check);
    if (!check.satisfied) reached = false;
  }
  return { satisfied: checks.every((c) => c.satisfied), checks };
}

/**
 * Evaluates an RFC 9535 JSONPath query as theory/jsonpath v0.9.0 does and returns every match, in document order. A
 * query that does not start with `$` gets one prepended, as the provider does for `jsonpath={...}`.
 */
export function queryJsonPath(object: unknown, path: string): unknown[] {
  let query = path.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "");
  if (!query.startsWith("$")) query = "$" + query;
  let parsed: PathQuery;
  try {
    parsed = parseJsonPath(query);
  } catch (e) {
    throw new Error(`invalid JSONPath ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
  return selectQuery(parsed, object, object);
}

// ---------------------------------------------------------------------------------------------------------------------
// The annotation (pulumi-kubernetes provider/pkg/metadata/overrides.go, ReadyCondition)
// ---------------------------------------------------------------------------------------------------------------------

/**
 * `json.Unmarshal([]byte(val), &values)` into a `[]string`, and on error `values = append(values, val)`: JSON `null`
 * gives no expression; a JSON array keeps its strings, with "" for a `null` or mistyped element (and on a mistyped one
 * Unmarshal also errs, so the raw annotation is appended); anything else is one expression.
 */
function annotationExpressions(annotation: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    return [annotation];
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) return [annotation];
  let mistyped = false;
  const values = parsed.map((v) => {
    if (typeof v === "string") return v;
    if (v !== null) mistyped = true;
    return "";
  });
  return mistyped ? [...values, annotation] : values;
}

function parseWaitCondition(expression: string): WaitCondition {
  if (expression.startsWith("jsonpath=")) return parseJsonPathCondition(expression);
  if (expression.startsWith("condition=")) return parseCustomCondition(expression);
  throw new Error(`expected a "jsonpath=" or "condition=" prefix, got ${goQuote(expression)}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// jsonpath= (pulumi-kubernetes provider/pkg/jsonpath/jsonpath.go and provider/pkg/await/condition/jsonpath.go)
// ---------------------------------------------------------------------------------------------------------------------

/** jsonpath.go `_bracketExpr` = `\{\s*(.*?)\s*\}`, unanchored; Go's `\s` is `[\t\n\f\r ]` and `.` excludes only \n. */
const BRACKET_EXPR = /\{[\t\n\f\r ]*([^\n]*?)[\t\n\f\r ]*\}/;

function parseJsonPathCondition(expression: string): WaitCondition {
  const raw = expression.slice("jsonpath=".length);
  // Split only on "=" and preserve "==" (so `!=`, `<=` and `>=` cannot be used: each holds a bare "=").
  const placeholder = "\uFFFD";
  const parts = raw.replaceAll("==", placeholder).split("=");
  const path = parts[0].replaceAll(placeholder, "==");
  if (parts.length > 2) throw new Error(`format should be {.path}=value or {.path}, got ${goQuote(raw)}`);
  let value = "";
  if (parts.length === 2) {
    value = parts[1].replaceAll(placeholder, "==");
    if (value === "") throw new Error(`${path}= requires a value`);
  }
  if (path.startsWith("'") && path.endsWith("'")) throw new Error(`${path} should omit shell quotes`);
  const m = BRACKET_EXPR.exec(path);
  if (!m) throw new Error(`${path} should be wrapped in brackets { ... }`);
  const inner = m[1].startsWith("$") ? m[1] : "$" + m[1];
  let query: PathQuery;
  try {
    query = parseJsonPath(inner);
  } catch (e) {
    throw new Error(`parsing ${goQuote(path)}: ${(e as Error).message}`);
  }
  return {
    expression,
    evaluate(object) {
      // condition/jsonpath.go: "Ensure the .status.observedGeneration is current, if present."
      const generation = nestedInt64(object, "metadata", "generation");
      if (generation.found) {
        const observed = nestedInt64(object, "status", "observedGeneration");
        if (observed.found && observed.value < generation.value) {
          return {
            expression,
            satisfied: false,
            found: [],
            message: `status.observedGeneration ${observed.value} is less than metadata.generation ${generation.value}`,
          };
        }
      }
      // jsonpath.go Matches: only the FIRST result counts.
      const found = selectQuery(query, object, object);
      if (found.length === 0) return { expression, satisfied: false, found, message: `${path} selected nothing` };
      const first = found[0];
      if (Array.isArray(first) || isMap(first)) {
        // "We don't care about complex types if we're matching anything."
        if (value === "") return { expression, satisfied: true, found };
        return {
          expression,
          satisfied: false,
          found,
          error: `${goQuote(path)} has a non-primitive value (${goSprint(first)})`,
        };
      }
      const text = goSprint(first); // fmt.Sprint(value): null is "<nil>", 1e6 as a float64 is "1e+06"
      if (value === "") return { expression, satisfied: true, found, message: `found ${goQuote(text)}` };
      return {
        expression,
        satisfied: value === text,
        found,
        ...(value === text ? {} : { message: `waiting for ${path}=${value} (found ${goQuote(text)})` }),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// condition= (pulumi-kubernetes provider/pkg/await/condition/custom.go and kubectl.go)
// ---------------------------------------------------------------------------------------------------------------------

function parseCustomCondition(expression: string): WaitCondition {
  // custom.go NewCustom: the type runs to the FIRST "=", the status (default True) is all the rest, maybe "".
  const rest = expression.slice("condition=".length);
  const idx = rest.indexOf("=");
  const conditionType = idx === -1 ? rest : rest.slice(0, idx);
  const wanted = idx === -1 ? "True" : rest.slice(idx + 1);
  return {
    expression,
    evaluate(object) {
      // kubectl.go checkCondition.
      const conditions = nestedSlice(object, "status", "conditions");
      if (conditions.error !== undefined) return { expression, satisfied: false, found: [], error: conditions.error };
      if (!conditions.found) return { expression, satisfied: false, found: [], message: "Has no .status.conditions" };
      for (const condition of conditions.value) {
        if (!isMap(condition)) {
          // `conditionUncast.(map[string]interface{})` panics.
          return {
            expression,
            satisfied: false,
            found: [],
            error: `panic: interface conversion: interface {} is ${goTypeName(condition)}, not map[string]interface {}`,
          };
        }
        const name = nestedString(condition, "type");
        if (!name.found || !equalFold(name.value, conditionType)) continue;
        const status = nestedString(condition, "status");
        if (!status.found) continue;
        // The first condition of that type with a string status decides, unless it describes an older generation.
        const generation = nestedInt64(object, "metadata", "generation");
        if (generation.found) {
          const observed = observedGeneration(object, condition);
          if (observed.found && observed.value < generation.value) {
            return {
              expression,
              satisfied: false,
              found: [status.value],
              message: `Generation ${observed.value} is less than expected ${generation.value}`,
            };
          }
        }
        const matches = equalFold(status.value, wanted);
        return {
          expression,
          satisfied: matches,
          found: [status.value],
          ...(matches ? {} : { message: `Resource has condition ${conditionType}=${status.value} (want ${wanted})` }),
        };
      }
      return { expression, satisfied: false, found: [], message: `no ${conditionType} condition` };
    },
  };
}

/** kubectl.go getObservedGeneration: the condition's own `observedGeneration`, else `status.observedGeneration`. */
function observedGeneration(object: unknown, condition: Record<string, unknown>): Found<number> {
  const own = nestedInt64(condition, "observedGeneration");
  return own.found ? own : nestedInt64(object, "status", "observedGeneration");
}

type Found<T> = { found: true; value: T; error?: undefined } | { found: false; error?: string };

/** apimachinery unstructured.NestedFieldNoCopy. */
function nestedField(object: unknown, ...fields: string[]): Found<unknown> {
  let val: unknown = object;
  for (let i = 0; i < fields.length; i++) {
    if (val === null || val === undefined) return { found: false };
    if (!isMap(val)) {
      return {
        found: false,
        error:
          `.${fields.slice(0, i + 1).join(".")} accessor error: ${goSprint(val)} is of the type ${goTypeName(val)}, ` +
          "expected map[string]interface{}",
      };
    }
    if (!hasMember(val, fields[i])) return { found: false };
    val = val[fields[i]];
  }
  return { found: true, value: val };
}

function nestedTyped<T>(object: unknown, fields: string[], goType: string, is: (v: unknown) => v is T): Found<T> {
  const r = nestedField(object, ...fields);
  if (!r.found) return { found: false, error: r.error };
  if (is(r.value)) return { found: true, value: r.value };
  return {
    found: false,
    error: `.${fields.join(".")} accessor error: ${goSprint(r.value)} is of the type ${goTypeName(r.value)}, expected ${goType}`,
  };
}

const nestedString = (object: unknown, ...fields: string[]) =>
  nestedTyped(object, fields, "string", (v): v is string => typeof v === "string");
const nestedInt64 = (object: unknown, ...fields: string[]) => nestedTyped(object, fields, "int64", isInt64);
const nestedSlice = (object: unknown, ...fields: string[]) =>
  nestedTyped(object, fields, "[]interface{}", (v): v is unknown[] => Array.isArray(v));

/** Go strings.EqualFold: rune by rune, under simple case folding. */
function equalFold(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (x.length !== y.length) return false;
  const fold = (c: string, f: (s: string) => string) => {
    const r = f(c);
    return [...r].length === 1 ? r : c;
  };
  return x.every(
    (c, i) =>
      c === y[i] ||
      fold(c, (s) => s.toLowerCase()) === fold(y[i], (s) => s.toLowerCase()) ||
      fold(c, (s) => s.toUpperCase()) === fold(y[i], (s) => s.toUpperCase()),
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// JSONPath lexer: theory/jsonpath v0.9.0 parser/lex.go, over UTF-8 bytes like the Go one (positions are byte offsets)
// ---------------------------------------------------------------------------------------------------------------------

const INVALID = -1;
const EOF = -2;
const IDENTIFIER = -3;
const INTEGER = -4;
const NUMBER = -5;
const GO_STRING = -6;
const BLANK_SPACE = -7;
const BOOL_TRUE = -8;
const BOOL_FALSE = -9;
const JSON_NULL = -10;

const c = (s: string) => s.codePointAt(0)!;
const DOLLAR = c("$");
const AT = c("@");
const DOT = c(".");
const LBRACKET = c("[");
const RBRACKET = c("]");
const LPAREN = c("(");
const RPAREN = c(")");
const STAR = c("*");
const QUESTION = c("?");
const COLON = c(":");
const COMMA = c(",");
const MINUS = c("-");
const PLUS = c("+");
const BANG = c("!");
const EQUALS = c("=");
const LESS = c("<");
const GREATER = c(">");
const AMP = c("&");
const PIPE = c("|");
const BACKSLASH = c("\\");
const DQUOTE = c('"');
const SQUOTE = c("'");

interface Token {
  /** A code point, or one of the negative token kinds above. */
  readonly tok: number;
  /** The string value (fully unescaped for strings); the error message for INVALID. */
  readonly val: string;
  /** Byte offset of the token's start. */
  readonly pos: number;
}

const isDigit = (r: number) => r >= 0x30 && r <= 0x39;
const isBlankSpace = (r: number) => r === 0x09 || r === 0x0a || r === 0x0d || r === 0x20;
const isHexDigit = (r: number) => isDigit(r) || (r >= 0x41 && r <= 0x46) || (r >= 0x61 && r <= 0x66);
const hexChar = (r: number) =>
  isDigit(r) ? r - 0x30 : r >= 0x61 && r <= 0x66 ? r - 0x61 + 10 : r >= 0x41 && r <= 0x46 ? r - 0x41 + 10 : INVALID;

/** RFC 9535 member-name-shorthand: name-first = ALPHA / "_" / %x80-D7FF / %xE000-10FFFF, then also DIGIT. */
function isIdentRune(r: number, i: number): boolean {
  if (i === 0 && isDigit(r)) return false;
  return (
    (r >= 0x61 && r <= 0x7a) ||
    (r >= 0x41 && r <= 0x5a) ||
    r === 0x5f ||
    isDigit(r) ||
    (r >= 0x80 && r <= 0xd7ff) ||
    (r >= 0xe000 && r <= 0x10ffff)
  );
}

/** Go strconv.QuoteRune, enough for the lexer's tokens; a negative (non-rune) kind prints as '�' as in Go. */
function quoteRune(r: number): string {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return "'\uFFFD'";
  const named: Record<number, string> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r" };
  if (named[r]) return `'${named[r]}'`;
  if (r === SQUOTE) return "'\\''";
  if (r === BACKSLASH) return "'\\\\'";
  if (r < 0x20 || r === 0x7f) return `'\\x${r.toString(16).padStart(2, "0")}'`;
  return `'${String.fromCodePoint(r)}'`;
}

function tokenName(tok: Token): string {
  switch (tok.tok) {
    case INVALID:
      return "invalid";
    case EOF:
      return "eof";
    case IDENTIFIER:
      return "identifier";
    case INTEGER:
      return "integer";
    case NUMBER:
      return "number";
    case GO_STRING:
      return "string";
    case BLANK_SPACE:
      return "blank space";
    default:
      return quoteRune(tok.tok);
  }
}

class Lexer {
  private readonly buf: Uint8Array;
  /** The current rune (EOF at the end, INVALID after a lexing error). */
  r = INVALID;
  /** Byte offset of the current rune. */
  rPos = 0;
  private nextPos = 0;

  constructor(input: string) {
    this.buf = new TextEncoder().encode(input);
    this.next();
  }

  scan(): Token {
    const r = this.r;
    if (r < 0) return { tok: EOF, val: "", pos: this.rPos };
    if (r === DOLLAR) {
      // Upstream quirk kept: `$` before an identifier rune lexes as an empty identifier without advancing.
      if (isIdentRune(this.peek(), 0)) return this.scanIdentifier();
      const tok = { tok: r, val: "", pos: this.rPos };
      this.next();
      return tok;
    }
    if (isIdentRune(r, 0)) return this.scanIdentifier();
    if (isDigit(r) || r === MINUS) return this.scanNumber();
    if (r === DQUOTE || r === SQUOTE) return this.scanString();
    if (isBlankSpace(r)) return this.scanBlankSpace();
    const tok = { tok: r, val: "", pos: this.rPos };
    this.next();
    return tok;
  }

  next(): number {
    if (this.nextPos < this.buf.length) {
      this.rPos = this.nextPos;
      const [r, width] = decodeRune(this.buf, this.nextPos);
      this.nextPos += width;
      this.r = r;
    } else {
      this.rPos = this.buf.length;
      this.r = EOF;
    }
    return this.r;
  }

  /** The next BYTE after the current rune. */
  peek(): number {
    return this.nextPos < this.buf.length ? this.buf[this.nextPos] : EOF;
  }

  scanBlankSpace(): Token {
    const start = this.rPos;
    while (isBlankSpace(this.r)) this.next();
    return { tok: BLANK_SPACE, val: this.text(start, this.rPos), pos: start };
  }

  skipBlankSpace(): number {
    if (isBlankSpace(this.r)) this.scan();
    return this.r;
  }

  peekPastBlankSpace(): number {
    for (let np = this.nextPos; np < this.buf.length; np++) if (!isBlankSpace(this.buf[np])) return this.buf[np];
    return EOF;
  }

  private text(from: number, to: number): string {
    return new TextDecoder().decode(this.buf.subarray(from, to));
  }

  private errToken(pos: number, msg: string): Token {
    this.r = INVALID;
    return { tok: INVALID, val: msg, pos };
  }

  private scanIdentifier(): Token {
    const start = this.rPos;
    let val = "";
    while (isIdentRune(this.r, 1)) {
      val += String.fromCodePoint(this.r);
      this.next();
    }
    const tok = val === "true" ? BOOL_TRUE : val === "false" ? BOOL_FALSE : val === "null" ? JSON_NULL : IDENTIFIER;
    return { tok, val, pos: start };
  }

  private scanNumber(): Token {
    const start = this.rPos;
    if (this.r === 0x30) {
      const next = this.next();
      if (next !== DOT && next !== c("e")) {
        if (isDigit(next)) return this.errToken(start, "invalid number literal"); // no leading zeros
        return { tok: INTEGER, val: "0", pos: start };
      }
    } else {
      if (this.r === MINUS) {
        const next = this.next();
        if (next === 0x30) {
          if (isDigit(this.peek())) return this.errToken(start, "invalid number literal");
        } else if (!isDigit(next)) {
          return this.errToken(start, "invalid number literal");
        }
      }
      while (isDigit(this.r)) this.next();
    }
    if (this.r === DOT) {
      if (!isDigit(this.next())) return this.errToken(start, "invalid number literal");
      while (isDigit(this.r)) this.next();
      if (this.r === c("e") || this.r === c("E")) return this.scanExponent(start);
      return { tok: NUMBER, val: this.text(start, this.rPos), pos: start };
    }
    if (this.r === c("e") || this.r === c("E")) return this.scanExponent(start);
    return { tok: INTEGER, val: this.text(start, this.rPos), pos: start };
  }

  private scanExponent(start: number): Token {
    const next = this.next();
    if (next === MINUS || next === PLUS) {
      if (!isDigit(this.next())) return this.errToken(start, "invalid number literal");
    } else if (!isDigit(this.r)) {
      return this.errToken(start, "invalid number literal");
    }
    while (isDigit(this.r)) this.next();
    return { tok: NUMBER, val: this.text(start, this.rPos), pos: start };
  }

  private scanString(): Token {
    const start = this.rPos;
    const q = this.r;
    this.next();
    let val = "";
    while (this.r > 0) {
      if (isUnescaped(this.r, q)) {
        val += String.fromCodePoint(this.r);
        this.next();
      } else if (this.r === BACKSLASH) {
        const escaped = this.writeEscape(q);
        if (escaped === undefined) {
          const pos = this.rPos;
          this.next();
          return this.errToken(pos, "invalid escape after backslash");
        }
        val += escaped;
      } else {
        break;
      }
    }
    if (this.r !== q) return this.errToken(this.rPos, "unterminated string literal");
    this.next();
    return { tok: GO_STRING, val, pos: start };
  }

  private writeEscape(q: number): string | undefined {
    const next = this.next();
    const r = unescape(next, q);
    if (r > 0) {
      this.next();
      return String.fromCodePoint(r);
    }
    if (next === c("u")) {
      const u = this.parseUnicode();
      if (u >= 0) {
        this.next();
        return String.fromCodePoint(u);
      }
    }
    return undefined;
  }

  private parseUnicode(): number {
    if (!isHexDigit(this.next())) return INVALID;
    if (this.r !== c("d") && this.r !== c("D")) return this.scanUnicode();
    const p = this.peek();
    if (p >= 0x30 && p <= 0x37) return this.scanUnicode();
    const high = this.scanUnicode();
    if (high < 0 || this.next() !== BACKSLASH || this.next() !== c("u")) return INVALID;
    this.next();
    const low = this.scanUnicode();
    if (low < 0) return INVALID;
    if (high >= 0xd800 && high < 0xdc00 && low >= 0xdc00 && low < 0xe000) {
      return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
    }
    this.rPos -= 3;
    return INVALID;
  }

  private scanUnicode(): number {
    let rr = hexChar(this.r);
    for (let i = 0; i < 3; i++) {
      const h = hexChar(this.next());
      if (h < 0) {
        this.rPos -= i + 1;
        return h;
      }
      rr = rr * 16 + h;
    }
    return rr;
  }
}

function decodeRune(b: Uint8Array, i: number): [number, number] {
  const b0 = b[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number) => (i + k < b.length && (b[i + k] & 0xc0) === 0x80 ? b[i + k] & 0x3f : -1);
  if (b0 >= 0xc2 && b0 < 0xe0 && cont(1) >= 0) return [((b0 & 0x1f) << 6) | cont(1), 2];
  if (b0 >= 0xe0 && b0 < 0xf0 && cont(1) >= 0 && cont(2) >= 0) {
    return [((b0 & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3];
  }
  if (b0 >= 0xf0 && b0 < 0xf5 && cont(1) >= 0 && cont(2) >= 0 && cont(3) >= 0) {
    return [((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4];
  }
  return [0xfffd, 1];
}

function isUnescaped(r: number, q: number): boolean {
  if (r === q) return false;
  return (r >= 0x20 && r <= 0x5b) || (r >= 0x5d && r <= 0xd7ff) || (r >= 0xe000 && r <= 0x10ffff);
}

function unescape(r: number, q: number): number {
  if (r === q) return q;
  const map: Record<number, number> = {
    [c("b")]: 0x08,
    [c("f")]: 0x0c,
    [c("n")]: 0x0a,
    [c("r")]: 0x0d,
    [c("t")]: 0x09,
    [c("/")]: c("/"),
    [BACKSLASH]: BACKSLASH,
  };
  return map[r] ?? 0;
}

// ---------------------------------------------------------------------------------------------------------------------
// JSONPath parser: theory/jsonpath v0.9.0 parser/parse.go
// ---------------------------------------------------------------------------------------------------------------------

type NameSelector = { readonly kind: "name"; readonly name: string };
type IndexSelector = { readonly kind: "index"; readonly index: number };
type Selector =
  | NameSelector
  | IndexSelector
  | { readonly kind: "wildcard" }
  | { readonly kind: "slice"; readonly start: number; readonly end: number; readonly step: number }
  | { readonly kind: "filter"; readonly or: LogicalOr };
interface Segment {
  readonly selectors: Selector[];
  readonly descendant: boolean;
}
interface PathQuery {
  readonly root: boolean;
  readonly segments: Segment[];
}
type LogicalOr = LogicalAnd[];
type LogicalAnd = BasicExpr[];
type CompOp = "==" | "!=" | "<" | ">" | "<=" | ">=";
type BasicExpr =
  | { readonly kind: "paren"; readonly or: LogicalOr }
  | { readonly kind: "notParen"; readonly or: LogicalOr }
  | { readonly kind: "exist"; readonly query: PathQuery }
  | { readonly kind: "nonExist"; readonly query: PathQuery }
  | { readonly kind: "compare"; readonly left: CompVal; readonly op: CompOp; readonly right: CompVal }
  | FuncExpr
  | { readonly kind: "notFunction"; readonly fn: FuncExpr };
type LiteralArg = { readonly kind: "literal"; readonly value: unknown };
type SingularQuery = {
  readonly kind: "singular";
  readonly relative: boolean;
  readonly selectors: (NameSelector | IndexSelector)[];
};
type FuncExpr = { readonly kind: "function"; readonly ext: FuncExtension; readonly args: FuncArg[] };
type CompVal = LiteralArg | SingularQuery | FuncExpr;
type FuncArg =
  | LiteralArg
  | SingularQuery
  | { readonly kind: "query"; readonly query: PathQuery }
  | { readonly kind: "logical"; readonly or: LogicalOr }
  | FuncExpr;
type FuncType = "value" | "nodes" | "logical";
interface FuncExtension {
  readonly name: string;
  readonly returnType: FuncType;
  validate(args: FuncArg[]): string | undefined;
  evaluate(args: PathValue[]): PathValue;
}
/** spec.PathValue; `null` is Go's nil (Nothing). */
type PathValue =
  | { readonly type: "value"; readonly value: unknown }
  | { readonly type: "nodes"; readonly nodes: unknown[] }
  | { readonly type: "logical"; readonly value: boolean }
  | null;

const LITERAL_TOKENS = [GO_STRING, INTEGER, NUMBER, BOOL_FALSE, BOOL_TRUE, JSON_NULL];

function makeError(tok: Token, msg: string): Error {
  return new Error(`jsonpath: ${msg} at position ${tok.pos + 1}`);
}

function unexpected(tok: Token): Error {
  return tok.tok === INVALID ? makeError(tok, tok.val) : makeError(tok, `unexpected ${tokenName(tok)}`);
}

/** parser.Parse: `$` then segments, to the end of the input. */
function parseJsonPath(path: string): PathQuery {
  const lex = new Lexer(path);
  const tok = lex.scan();
  const parser = new Parser(lex);
  if (tok.tok === DOLLAR) {
    const q = parser.parseQuery(true);
    if (lex.r !== EOF) throw unexpected(lex.scan());
    return q;
  }
  if (tok.tok === EOF) throw new Error("jsonpath: unexpected end of input");
  throw unexpected(tok);
}

function isSingularQuery(q: PathQuery): boolean {
  return q.segments.every(
    (s) =>
      !s.descendant && s.selectors.length === 1 && (s.selectors[0].kind === "name" || s.selectors[0].kind === "index"),
  );
}

function singular(q: PathQuery): SingularQuery {
  return {
    kind: "singular",
    relative: !q.root,
    selectors: q.segments.map((s) => s.selectors[0] as NameSelector | IndexSelector),
  };
}

/** parsePathInt: an index or slice bound, in [-(2^53)+1, 2^53-1], and not "-0". */
function parsePathInt(tok: Token): number {
  if (tok.val === "-0") throw makeError(tok, `invalid integer path value ${goQuote(tok.val)}`);
  const n = BigInt(tok.val);
  if (n > 2n ** 53n - 1n || n < -(2n ** 53n) + 1n) {
    throw makeError(tok, `cannot parse ${goQuote(tok.val)}, value out of range`);
  }
  return Number(n);
}

function parseLiteral(tok: Token): LiteralArg {
  switch (tok.tok) {
    case GO_STRING:
      return { kind: "literal", value: tok.val };
    case INTEGER: {
      const n = BigInt(tok.val);
      if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) {
        throw makeError(tok, `cannot parse ${goQuote(tok.val)}, value out of range`);
      }
      return { kind: "literal", value: Number(n) };
    }
    case NUMBER: {
      const n = Number(tok.val);
      if (!Number.isFinite(n)) throw makeError(tok, `cannot parse ${goQuote(tok.val)}, value out of range`);
      return { kind: "literal", value: n };
    }
    case BOOL_TRUE:
      return { kind: "literal", value: true };
    case BOOL_FALSE:
      return { kind: "literal", value: false };
    case JSON_NULL:
      return { kind: "literal", value: null };
    default:
      throw unexpected(tok);
  }
}

function argConvertsTo(arg: FuncArg, ft: FuncType): boolean {
  switch (arg.kind) {
    case "literal":
      return ft === "value";
    case "singular":
      return ft === "value" || ft === "nodes";
    case "query":
      return ft === "nodes";
    case "logical":
      return ft === "logical";
    case "function":
      return ft === arg.ext.returnType;
  }
}

class Parser {
  constructor(private readonly lex: Lexer) {}

  parseQuery(root: boolean): PathQuery {
    const lex = this.lex;
    const segments: Segment[] = [];
    for (;;) {
      if (lex.r === LBRACKET) {
        lex.scan();
        segments.push({ selectors: this.parseSelectors(), descendant: false });
      } else if (lex.r === DOT) {
        lex.scan();
        if (lex.r === DOT) {
          lex.scan();
          segments.push(this.parseDescendant());
          continue;
        }
        segments.push({ selectors: [this.parseNameOrWildcard()], descendant: false });
      } else if (isBlankSpace(lex.r) && [DOT, LBRACKET].includes(lex.peekPastBlankSpace())) {
        lex.scanBlankSpace();
      } else {
        return { root, segments };
      }
    }
  }

  private parseNameOrWildcard(): Selector {
    const tok = this.lex.scan();
    if (tok.tok === IDENTIFIER) return { kind: "name", name: tok.val };
    if (tok.tok === STAR) return { kind: "wildcard" };
    throw unexpected(tok); // v0.9.0: also for `.true`, `.false`, `.null` (allowed from v0.10.1)
  }

  private parseDescendant(): Segment {
    const tok = this.lex.scan();
    if (tok.tok === LBRACKET) return { selectors: this.parseSelectors(), descendant: true };
    if (tok.tok === IDENTIFIER) return { selectors: [{ kind: "name", name: tok.val }], descendant: true };
    if (tok.tok === STAR) return { selectors: [{ kind: "wildcard" }], descendant: true };
    throw unexpected(tok);
  }

  private parseSelectors(): Selector[] {
    const lex = this.lex;
    const selectors: Selector[] = [];
    for (;;) {
      const tok = lex.scan();
      if (tok.tok === QUESTION) selectors.push({ kind: "filter", or: this.parseLogicalOrExpr() });
      else if (tok.tok === STAR) selectors.push({ kind: "wildcard" });
      else if (tok.tok === GO_STRING) selectors.push({ kind: "name", name: tok.val });
      else if (tok.tok === INTEGER) {
        if (lex.skipBlankSpace() === COLON) selectors.push(this.parseSlice(tok));
        else selectors.push({ kind: "index", index: parsePathInt(tok) });
      } else if (tok.tok === COLON) selectors.push(this.parseSlice(tok));
      else if (tok.tok === BLANK_SPACE) continue;
      else throw unexpected(tok);

      const next = lex.skipBlankSpace();
      if (next === COMMA) lex.scan();
      else if (next === RBRACKET) {
        lex.scan();
        return selectors;
      } else throw unexpected(lex.scan());
    }
  }

  /** parseSlice; upstream quirk kept: `[1:2 3]` reads as `[1:3]` (a later integer overwrites the current bound). */
  private parseSlice(first: Token): Selector {
    const lex = this.lex;
    const args: (number | undefined)[] = [undefined, undefined, undefined];
    let tok = first;
    let i = 0;
    while (i < 3) {
      if (tok.tok === COLON) i++;
      else if (tok.tok === INTEGER) args[i] = parsePathInt(tok);
      else throw unexpected(tok);
      const next = lex.skipBlankSpace();
      if (next === RBRACKET || next === COMMA) {
        // spec.Slice: step defaults to 1; with a negative step, start and end default to the far ends.
        const step = args[2] ?? 1;
        return {
          kind: "slice",
          start: args[0] ?? (step < 0 ? Infinity : 0),
          end: args[1] ?? (step < 0 ? -Infinity : Infinity),
          step,
        };
      }
      tok = lex.scan();
    }
    throw unexpected(tok);
  }

  private parseLogicalOrExpr(): LogicalOr {
    const lex = this.lex;
    const ands: LogicalOr = [this.parseLogicalAndExpr()];
    lex.scanBlankSpace();
    while (lex.r === PIPE) {
      lex.scan();
      const next = lex.scan();
      if (next.tok !== PIPE) throw makeError(next, `expected '|' but found ${tokenName(next)}`);
      ands.push(this.parseLogicalAndExpr());
    }
    return ands;
  }

  private parseLogicalAndExpr(): LogicalAnd {
    const lex = this.lex;
    const exprs: LogicalAnd = [this.parseBasicExpr()];
    lex.scanBlankSpace();
    while (lex.r === AMP) {
      lex.scan();
      const next = lex.scan();
      if (next.tok !== AMP) throw makeError(next, `expected '&' but found ${tokenName(next)}`);
      exprs.push(this.parseBasicExpr());
      // v0.9.0 has no lex.scanBlankSpace() here (added in v0.10.2, theory/jsonpath#24): blank space after the second
      // and later operands is not consumed, so the `&&` ends there: `a == 1 && b == 2 && c == 3` fails while
      // `a == 1 && b == 2&& c == 3` parses. parseLogicalOrExpr consumes the blank space after its FIRST alternative
      // only, so `a == 1 && b == 2 )` parses but `x || a == 1 && b == 2 )` and `x || a == 1 && b == 2 || y` do not.
      // A singular existence test (`@.a`) consumes its own trailing blank space: `@.a && @.b && @.c` parses.
    }
    return exprs;
  }

  private parseBasicExpr(): BasicExpr {
    const lex = this.lex;
    lex.skipBlankSpace();
    const tok = lex.scan();
    if (tok.tok === BANG) {
      if (lex.skipBlankSpace() === LPAREN) {
        lex.scan();
        return { kind: "notParen", or: this.parseInnerParenExpr() };
      }
      const next = lex.scan();
      if (next.tok === IDENTIFIER) return { kind: "notFunction", fn: this.parseFunction(next) };
      return { kind: "nonExist", query: this.parseQuery(next.tok === DOLLAR) };
    }
    if (tok.tok === LPAREN) return { kind: "paren", or: this.parseInnerParenExpr() };
    if (LITERAL_TOKENS.includes(tok.tok)) return this.parseComparableExpr(parseLiteral(tok));
    if (tok.tok === IDENTIFIER) {
      if (lex.r === LPAREN) return this.parseFunctionFilterExpr(tok);
    } else if (tok.tok === AT || tok.tok === DOLLAR) {
      const q = this.parseQuery(tok.tok === DOLLAR);
      if (isSingularQuery(q) && [EQUALS, BANG, LESS, GREATER].includes(lex.skipBlankSpace())) {
        return this.parseComparableExpr(singular(q));
      }
      return { kind: "exist", query: q };
    }
    throw unexpected(tok);
  }

  private parseFunctionFilterExpr(ident: Token): BasicExpr {
    const f = this.parseFunction(ident);
    if (f.ext.returnType === "logical") return f;
    if ([EQUALS, BANG, LESS, GREATER].includes(this.lex.skipBlankSpace())) return this.parseComparableExpr(f);
    throw makeError(this.lex.scan(), "missing comparison to function result");
  }

  private parseInnerParenExpr(): LogicalOr {
    const expr = this.parseLogicalOrExpr();
    const next = this.lex.scan();
    if (next.tok !== RPAREN) throw makeError(next, `expected ')' but found ${tokenName(next)}`);
    return expr;
  }

  private parseFunction(tok: Token): FuncExpr {
    const ext = REGISTRY.get(tok.val);
    if (!ext) throw makeError(tok, `unknown function ${tok.val}()`);
    const paren = this.lex.scan(); // drop (
    const args = this.parseFunctionArgs();
    const err = ext.validate(args);
    if (err !== undefined) throw makeError(paren, `function ${tok.val}() ${err}`);
    return { kind: "function", ext, args };
  }

  private parseFunctionArgs(): FuncArg[] {
    const lex = this.lex;
    const args: FuncArg[] = [];
    for (;;) {
      const tok = lex.scan();
      if (LITERAL_TOKENS.includes(tok.tok)) args.push(parseLiteral(tok));
      else if (tok.tok === AT || tok.tok === DOLLAR) {
        const q = this.parseQuery(tok.tok === DOLLAR);
        args.push(isSingularQuery(q) ? singular(q) : { kind: "query", query: q });
      } else if (tok.tok === IDENTIFIER) {
        if (lex.skipBlankSpace() !== LPAREN) throw unexpected(tok);
        args.push(this.parseFunction(tok));
      } else if (tok.tok === BLANK_SPACE) continue;
      else if (tok.tok === RPAREN) return args;
      else if (tok.tok === BANG || tok.tok === LPAREN) {
        // Upstream quirk kept: the `!` or `(` is already consumed here, so `!` is lost.
        args.push({ kind: "logical", or: this.parseLogicalOrExpr() });
      }
      const next = lex.skipBlankSpace();
      if (next === COMMA) lex.scan();
      else if (next === RPAREN) {
        lex.scan();
        return args;
      } else throw unexpected(lex.scan());
    }
  }

  private parseComparableExpr(left: CompVal): BasicExpr {
    const lex = this.lex;
    lex.skipBlankSpace();
    const op = this.parseCompOp();
    lex.skipBlankSpace();
    return { kind: "compare", left, op, right: this.parseComparableVal(lex.scan()) };
  }

  private parseComparableVal(tok: Token): CompVal {
    if (LITERAL_TOKENS.includes(tok.tok)) return parseLiteral(tok);
    if (tok.tok === AT || tok.tok === DOLLAR) return this.parseSingularQuery(tok);
    if (tok.tok === IDENTIFIER) {
      if (this.lex.r !== LPAREN) throw unexpected(tok);
      const f = this.parseFunction(tok);
      if (f.ext.returnType === "logical") throw makeError(tok, "cannot compare result of logical function");
      return f;
    }
    throw unexpected(tok);
  }

  private parseCompOp(): CompOp {
    const lex = this.lex;
    const tok = lex.scan();
    const eq = () => {
      if (lex.r !== EQUALS) return false;
      lex.scan();
      return true;
    };
    if (tok.tok === EQUALS && eq()) return "==";
    if (tok.tok === BANG && eq()) return "!=";
    if (tok.tok === LESS) return eq() ? "<=" : "<";
    if (tok.tok === GREATER) return eq() ? ">=" : ">";
    throw makeError(tok, "invalid comparison operator");
  }

  /** The right-hand side of a comparison: `.name`, `['name']` and `[index]` only, with no blank space inside. */
  private parseSingularQuery(start: Token): SingularQuery {
    const lex = this.lex;
    const selectors: (NameSelector | IndexSelector)[] = [];
    for (;;) {
      if (lex.r === LBRACKET) {
        lex.scan();
        const tok = lex.scan();
        if (tok.tok === GO_STRING) selectors.push({ kind: "name", name: tok.val });
        else if (tok.tok === INTEGER) selectors.push({ kind: "index", index: parsePathInt(tok) });
        else throw unexpected(tok);
        lex.skipBlankSpace();
        const close = lex.scan();
        if (close.tok !== RBRACKET) throw unexpected(close);
      } else if (lex.r === DOT) {
        lex.scan();
        const tok = lex.scan();
        if (tok.tok !== IDENTIFIER) throw unexpected(tok);
        selectors.push({ kind: "name", name: tok.val });
      } else {
        return { kind: "singular", relative: start.tok !== DOLLAR, selectors };
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Evaluation: theory/jsonpath v0.9.0 spec/query.go, segment.go, selector.go, filter.go, op.go, function.go
// ---------------------------------------------------------------------------------------------------------------------

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function hasMember(m: Record<string, unknown>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, name) && m[name] !== undefined;
}

function memberValues(m: Record<string, unknown>): unknown[] {
  return Object.keys(m)
    .filter((k) => m[k] !== undefined)
    .map((k) => m[k]);
}

function children(v: unknown): unknown[] {
  return Array.isArray(v) ? v : isMap(v) ? memberValues(v) : [];
}

function selectQuery(q: PathQuery, current: unknown, root: unknown): unknown[] {
  let res: unknown[] = [q.root ? root : current];
  for (const seg of q.segments) res = res.flatMap((v) => selectSegment(seg, v, root));
  return res;
}

/** Segment.Select: the selectors on the node, then (descendant) the same on each child, recursively. */
function selectSegment(seg: Segment, current: unknown, root: unknown): unknown[] {
  const ret = seg.selectors.flatMap((sel) => selectSelector(sel, current, root));
  if (seg.descendant) for (const child of children(current)) ret.push(...selectSegment(seg, child, root));
  return ret;
}

function selectSelector(sel: Selector, current: unknown, root: unknown): unknown[] {
  switch (sel.kind) {
    case "name":
      return isMap(current) && hasMember(current, sel.name) ? [current[sel.name]] : [];
    case "wildcard":
      return children(current);
    case "index": {
      if (!Array.isArray(current)) return [];
      const idx = sel.index < 0 ? current.length + sel.index : sel.index;
      return idx >= 0 && idx < current.length ? [current[idx]] : [];
    }
    case "slice": {
      if (!Array.isArray(current)) return [];
      const len = current.length;
      const norm = (i: number) => (i >= 0 ? i : len + i);
      const start = norm(sel.start);
      const end = norm(sel.end);
      const res: unknown[] = [];
      if (sel.step > 0) {
        const lower = Math.max(Math.min(start, len), 0);
        const upper = Math.max(Math.min(end, len), 0);
        for (let i = lower; i < upper; i += sel.step) res.push(current[i]);
      } else if (sel.step < 0) {
        const lower = Math.max(Math.min(end, len - 1), -1);
        const upper = Math.max(Math.min(start, len - 1), -1);
        for (let i = upper; lower < i; i += sel.step) res.push(current[i]);
      }
      return res;
    }
    case "filter":
      return children(current).filter((v) => testOr(sel.or, v, root));
  }
}

function testOr(or: LogicalOr, current: unknown, root: unknown): boolean {
  return or.some((and) => and.every((e) => testBasic(e, current, root)));
}

function testBasic(e: BasicExpr, current: unknown, root: unknown): boolean {
  switch (e.kind) {
    case "paren":
      return testOr(e.or, current, root);
    case "notParen":
      return !testOr(e.or, current, root);
    case "exist":
      return selectQuery(e.query, current, root).length > 0;
    case "nonExist":
      return selectQuery(e.query, current, root).length === 0;
    case "compare":
      return compare(e.op, asValue(e.left, current, root), asValue(e.right, current, root));
    case "function":
      return testFunction(e, current, root);
    case "notFunction":
      return !testFunction(e.fn, current, root);
  }
}

function evaluateSingular(sq: SingularQuery, current: unknown, root: unknown): PathValue {
  let target = sq.relative ? current : root;
  for (const sel of sq.selectors) {
    const res = selectSelector(sel, target, null);
    if (res.length === 0) return null; // Nothing
    target = res[0];
  }
  return { type: "value", value: target };
}

function asValue(v: CompVal, current: unknown, root: unknown): PathValue {
  switch (v.kind) {
    case "literal":
      return { type: "value", value: v.value };
    case "singular":
      return evaluateSingular(v, current, root);
    case "function":
      return evaluateFunction(v, current, root);
  }
}

/**
 * CompExpr.testFilter. `==` and `!=` follow RFC 9535 §2.3.5.2 (Nothing equals only Nothing; numbers by value; other
 * values deeply). The orderings do not quite: they first need both sides of the same type (two numbers, or the same
 * JSON type), so with Nothing on either side `<`, `<=`, `>` and `>=` are all false (RFC: `<=` and `>=` hold for two
 * Nothings); and `>` is "not < and not ==", `>=` "not <", so for two booleans, nulls, arrays or objects `>=` is always
 * true and `>` is true when they differ (RFC: both false unless equal for `>=`).
 */
function compare(op: CompOp, left: PathValue, right: PathValue): boolean {
  switch (op) {
    case "==":
      return equalTo(left, right);
    case "!=":
      return !equalTo(left, right);
    case "<":
      return sameType(left, right) && lessThan(left, right);
    case ">":
      return sameType(left, right) && !lessThan(left, right) && !equalTo(left, right);
    case "<=":
      return sameType(left, right) && (lessThan(left, right) || equalTo(left, right));
    case ">=":
      return sameType(left, right) && !lessThan(left, right);
  }
}

function equalTo(left: PathValue, right: PathValue): boolean {
  if (left === null) return right === null;
  if (left.type === "value" && right?.type === "value") return valueEqualTo(left.value, right.value);
  return false;
}

function valueEqualTo(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return typeof b === "number" && a === b;
  return deepEqual(a, b);
}

/** reflect.DeepEqual over JSON values. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a == null && b == null;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => hasMember(b, k) && deepEqual(a[k], b[k]));
  }
  return a === b;
}

function lessThan(left: PathValue, right: PathValue): boolean {
  if (left?.type !== "value" || right?.type !== "value") return false;
  const [a, b] = [left.value, right.value];
  if (typeof a === "number") return typeof b === "number" && a < b;
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b) < 0;
  return false;
}

function sameType(left: PathValue, right: PathValue): boolean {
  if (left === null || right === null) return false;
  if (left.type === "value") {
    if (right.type === "value") return valCompType(left.value, right.value);
    if (right.type === "nodes") return valCompType(left.value, right.nodes[0]);
    return typeof left.value === "boolean";
  }
  if (left.type === "nodes") {
    if (left.nodes.length !== 1) return false;
    if (right.type === "value") return valCompType(left.nodes[0], right.value);
    if (right.type === "nodes") return valCompType(left.nodes[0], right.nodes[0]);
    return typeof left.nodes[0] === "boolean";
  }
  if (right.type === "logical") return true;
  if (right.type === "nodes") return right.nodes.length === 1 && typeof right.nodes[0] === "boolean";
  return typeof right.value === "boolean";
}

function valCompType(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return true;
  return goTypeName(a) === goTypeName(b) && typeof a !== "number";
}

/** Go compares strings bytewise (UTF-8), i.e. by code point, not by UTF-16 unit as JS does. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

// ---------------------------------------------------------------------------------------------------------------------
// Function extensions: theory/jsonpath v0.9.0 registry/funcs.go and spec/function.go
// ---------------------------------------------------------------------------------------------------------------------

function evaluateArg(arg: FuncArg, current: unknown, root: unknown): PathValue {
  switch (arg.kind) {
    case "literal":
      return { type: "value", value: arg.value };
    case "singular":
      return evaluateSingular(arg, current, root);
    case "query":
      return { type: "nodes", nodes: selectQuery(arg.query, current, root) };
    case "logical":
      return { type: "logical", value: testOr(arg.or, current, root) };
    case "function":
      return evaluateFunction(arg, current, root);
  }
}

function evaluateFunction(f: FuncExpr, current: unknown, root: unknown): PathValue {
  return f.ext.evaluate(f.args.map((a) => evaluateArg(a, current, root)));
}

/** FuncExpr.testFilter; a value is truthy unless null, false or 0 (only reachable through `!fn()` upstream). */
function testFunction(f: FuncExpr, current: unknown, root: unknown): boolean {
  const res = evaluateFunction(f, current, root);
  if (res === null) return false;
  if (res.type === "nodes") return res.nodes.length > 0;
  if (res.type === "logical") return res.value;
  const v = res.value;
  if (v === null || v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  return true;
}

function panic(message: string): Error {
  return new Error(`panic: ${message} (in github.com/theory/jsonpath v0.9.0, which the provider uses)`);
}

function valueFrom(v: PathValue): { type: "value"; value: unknown } | null {
  if (v === null) return null;
  if (v.type === "value") return v;
  throw panic(`cannot convert ${v.type === "nodes" ? "NodesType" : "LogicalType"} to ValueType`);
}

function nodesFrom(v: PathValue): unknown[] {
  if (v === null) return [];
  if (v.type === "nodes") return v.nodes;
  if (v.type === "value") return [v.value];
  throw panic("cannot convert LogicalType to NodesType");
}

function checkArgs(count: number, type: FuncType) {
  return (args: FuncArg[]): string | undefined => {
    if (args.length !== count) {
      return `expected ${count} argument${count === 1 ? "" : "s"} but found ${args.length}`;
    }
    const bad = args.findIndex((a) => !argConvertsTo(a, type));
    if (bad === -1) return undefined;
    const what = type === "value" ? "Value" : "Nodes";
    return count === 1 ? `cannot convert argument to ${what}` : `cannot convert argument ${bad + 1} to ${what}`;
  };
}

/** matchFunc / searchFunc. `ValueFrom(nil).Value()` dereferences a nil pointer: a missing argument panics upstream. */
function regexFunction(name: string, anchored: boolean): FuncExtension {
  return {
    name,
    returnType: "logical",
    validate: checkArgs(2, "value"),
    evaluate(args) {
      const v = valueFrom(args[0]);
      if (v === null) throw panic(`runtime error: invalid memory address or nil pointer dereference (${name}())`);
      if (typeof v.value === "string") {
        const r = valueFrom(args[1]);
        if (r === null) throw panic(`runtime error: invalid memory address or nil pointer dereference (${name}())`);
        if (typeof r.value === "string") {
          // Upstream concatenates without a group: match(@.a, "x|y") is `\Ax|y\z`, true for "xa" and "ay".
          const re = compileRe2(anchored ? `\\A${r.value}\\z` : r.value);
          if (re) return { type: "logical", value: re.test(v.value) };
        }
      }
      return { type: "logical", value: false };
    },
  };
}

const REGISTRY = new Map<string, FuncExtension>([
  [
    "length",
    {
      name: "length",
      returnType: "value",
      validate: checkArgs(1, "value"),
      evaluate(args) {
        const v = valueFrom(args[0]);
        if (v === null) return null;
        if (typeof v.value === "string") return { type: "value", value: [...v.value].length };
        if (Array.isArray(v.value)) return { type: "value", value: v.value.length };
        if (isMap(v.value)) return { type: "value", value: memberValues(v.value).length };
        return null;
      },
    },
  ],
  [
    "count",
    {
      name: "count",
      returnType: "value",
      validate: checkArgs(1, "nodes"),
      evaluate: (args) => ({ type: "value", value: nodesFrom(args[0]).length }),
    },
  ],
  [
    "value",
    {
      name: "value",
      returnType: "value",
      validate: checkArgs(1, "nodes"),
      evaluate(args) {
        const nodes = nodesFrom(args[0]);
        return nodes.length === 1 ? { type: "value", value: nodes[0] } : null;
      },
    },
  ],
  ["match", regexFunction("match", true)],
  ["search", regexFunction("search", false)],
]);

/**
 * registry/funcs.go compileRegex: Go RE2 syntax (Perl flags) with `.` matching anything but \n and \r. Returns
 * undefined where RE2 rejects the pattern (the function is then false) and throws for RE2 syntax this translation to
 * a JS RegExp does not cover (flags, \Q…\E, octal escapes, POSIX classes, \S inside a class, \p{C}).
 */
function compileRe2(pattern: string): RegExp | undefined {
  const js = translateRe2(pattern);
  if (js === undefined) return undefined;
  try {
    return new RegExp(js, "u");
  } catch {
    throw unsupportedRe2(pattern, "no JS equivalent");
  }
}

function unsupportedRe2(pattern: string, what: string): Error {
  return new Error(`unsupported JSONPath regular expression ${goQuote(pattern)} in this offline evaluator: ${what}`);
}

const GENERAL_CATEGORIES = new Set(
  "L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs Cc Cf Co Cs".split(" "),
);

function translateRe2(pattern: string): string | undefined {
  const cps = [...pattern];
  let i = 0;
  let out = "";
  let depth = 0;
  let last: "none" | "atom" | "repeat" | "assert" = "none";
  const lit = (ch: string) => (/^[A-Za-z0-9]$/.test(ch) ? ch : `\\u{${ch.codePointAt(0)!.toString(16)}}`);
  const unsupported = (what: string) => unsupportedRe2(pattern, what);

  // One escape after a backslash at cps[i] (i at the char after "\"); returns JS text and its kind.
  const escape = (inClass: boolean): { js: string; kind: "atom" | "assert"; cp?: number } | undefined => {
    const e = cps[i++];
    if (e === undefined) return undefined; // trailing backslash
    if (!inClass) {
      if (e === "A") return { js: "^", kind: "assert" };
      if (e === "z") return { js: "$", kind: "assert" };
      if (e === "b" || e === "B") return { js: `\\${e}`, kind: "assert" };
    }
    if (e === "Q" && !inClass) throw unsupported("\\Q...\\E");
    if ("dDwW".includes(e)) return { js: `\\${e}`, kind: "atom" };
    if (e === "s") return { js: inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]", kind: "atom" };
    if (e === "S") {
      if (inClass) throw unsupported("\\S inside a character class");
      return { js: "[^\\t\\n\\f\\r ]", kind: "atom" };
    }
    if (e === "p" || e === "P") {
      let name: string;
      if (cps[i] === "{") {
        const close = cps.indexOf("}", i);
        if (close === -1) return undefined;
        name = cps.slice(i + 1, close).join("");
        i = close + 1;
      } else {
        if (cps[i] === undefined) return undefined;
        name = cps[i++];
      }
      let negate = e === "P";
      if (name.startsWith("^")) {
        negate = !negate;
        name = name.slice(1);
      }
      const p = negate ? "P" : "p";
      if (name === "Any") return { js: `\\${p}{Any}`, kind: "atom" };
      if (GENERAL_CATEGORIES.has(name)) return { js: `\\${p}{General_Category=${name}}`, kind: "atom" };
      if (/^[A-Z][A-Za-z_]*$/.test(name) && name !== "C") return { js: `\\${p}{Script=${name}}`, kind: "atom" };
      throw unsupported(`\\${e}{${name}}`);
    }
    const controls: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (controls[e] !== undefined) return { js: lit(String.fromCodePoint(controls[e])), kind: "atom", cp: controls[e] };
    if (e === "x") {
      let hex: string;
      if (cps[i] === "{") {
        const close = cps.indexOf("}", i);
        if (close === -1) return undefined;
        hex = cps.slice(i + 1, close).join("");
        i = close + 1;
        if (!/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
      } else {
        hex = cps.slice(i, i + 2).join("");
        i += 2;
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      }
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return undefined;
      return { js: `\\u{${cp.toString(16)}}`, kind: "atom", cp };
    }
    if (/^[0-9]$/.test(e)) throw unsupported("octal escapes and backreferences");
    if (e.codePointAt(0)! < 0x80 && !/^[A-Za-z0-9]$/.test(e)) return { js: lit(e), kind: "atom", cp: c(e) };
    return undefined; // invalid escape
  };

  const parseClass = (): string | undefined => {
    let js = "[";
    if (cps[i] === "^") {
      js += "^";
      i++;
    }
    let first = true;
    while (first || cps[i] !== "]") {
      first = false;
      if (cps[i] === undefined) return undefined; // missing ]
      if (
        cps[i] === "[" &&
        cps[i + 1] === ":" &&
        cps
          .slice(i + 2)
          .join("")
          .includes(":]")
      ) {
        throw unsupported("POSIX character classes");
      }
      const item = (): { js: string; cp?: number } | undefined => {
        const ch = cps[i++];
        if (ch === "\\") return escape(true);
        return { js: lit(ch), cp: ch.codePointAt(0)! };
      };
      const lo = item();
      if (lo === undefined) return undefined;
      if (cps[i] === "-" && cps[i + 1] !== "]" && cps[i + 1] !== undefined && lo.cp !== undefined) {
        i++;
        const hi = item();
        if (hi === undefined || hi.cp === undefined || hi.cp < lo.cp) return undefined; // bad range
        js += `${lo.js}-${hi.js}`;
      } else {
        js += lo.js;
      }
    }
    i++; // ]
    return js + "]";
  };

  /** A repetition operator, or undefined where RE2 rejects it. */
  const repeat = (op: string): string | undefined => {
    if (last === "none") return undefined; // missing argument to repetition operator
    if (last === "repeat") return undefined; // invalid nested repetition operator
    if (last === "assert") throw unsupported("repetition of an assertion");
    if (cps[i] === "?") {
      i++;
      op += "?";
    }
    last = "repeat";
    return op;
  };

  while (i < cps.length) {
    const ch = cps[i++];
    if (ch === "(") {
      if (cps[i] === "?") {
        const rest = cps.slice(i).join("");
        const named = /^\?P?<([A-Za-z0-9_]+)>/.exec(rest);
        if (rest.startsWith("?:")) i += 2;
        else if (named)
          i += named[0].length; // Go allows duplicate names
        else if (/^\?[imsU-]+[:)]/.test(rest)) throw unsupported("flags");
        else return undefined; // lookaround, bad names: not RE2
      }
      out += "(?:";
      depth++;
      last = "none";
    } else if (ch === ")") {
      if (depth === 0) return undefined;
      depth--;
      out += ")";
      last = "atom";
    } else if (ch === "|") {
      out += "|";
      last = "none";
    } else if (ch === "*" || ch === "+" || ch === "?") {
      const r = repeat(ch);
      if (r === undefined) return undefined;
      out += r;
    } else if (ch === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec("{" + cps.slice(i).join(""));
      const bad = (s: string | undefined) => s !== undefined && s.length >= 2 && s[0] === "0";
      if (m && !bad(m[1]) && !bad(m[3])) {
        const min = m[1].length >= 8 ? -1 : Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === "" ? -1 : m[3].length >= 8 ? 1001 : Number(m[3]);
        if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) return undefined;
        i += m[0].length - 1;
        const r = repeat(m[0]);
        if (r === undefined) return undefined;
        out += r;
      } else {
        out += "\\{";
        last = "atom";
      }
    } else if (ch === "^" || ch === "$") {
      out += ch;
      last = "assert";
    } else if (ch === ".") {
      out += "[^\\n\\r]";
      last = "atom";
    } else if (ch === "[") {
      const cls = parseClass();
      if (cls === undefined) return undefined;
      out += cls;
      last = "atom";
    } else if (ch === "\\") {
      const e = escape(false);
      if (e === undefined) return undefined;
      out += e.js;
      last = e.kind;
    } else {
      out += lit(ch);
      last = "atom";
    }
  }
  return depth === 0 ? out : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Go formatting
// ---------------------------------------------------------------------------------------------------------------------

/** JSON integers decode to int64 (apimachinery convertNumber); here, an integral number within int64 range. */
function isInt64(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 63;
}

function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return isInt64(v) ? "int64" : "float64";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

/** fmt.Sprint of a decoded JSON value. */
function goSprint(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return isInt64(v) ? String(v) : goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(" ")}]`;
  if (isMap(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort(compareCodePoints);
    return `map[${keys.map((k) => `${k}:${goSprint(v[k])}`).join(" ")}]`;
  }
  return String(v);
}

/** %v of a float64 (strconv 'g', shortest): the shortest digits, in %e form when the exponent is < -4 or >= 6. */
function goFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa, e] = n.toExponential().split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= 6) {
    return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(n);
}

/** Go %q of a string. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const named: Record<number, string> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r" };
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (named[cp]) out += named[cp];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + '"';
}
