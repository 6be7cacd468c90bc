// The JIT'd part of the benchmark's deep-stack capture (bench/record-deep.sh): a
// recursive-descent parser and a tree-walking evaluator for a small expression
// language, run over generated programs whose nesting varies from request to request.
// Every parenthesis, call argument, array element or let body goes down the whole
// precedence ladder again (15 functions), and the evaluator recurses down the tree, so
// stacks are deep and the paths through the grammar rarely repeat.
// Run with `node --perf-basic-prof --interpreted-frames-native-stack` so perf names the
// JIT frames from /tmp/perf-PID.map.
// Usage: node --perf-basic-prof --interpreted-frames-native-stack deep-parser.mjs SECONDS
const seconds = Number(process.argv[2] ?? 60);

let seed = 0x9e3779b9;
function random(n) {
  seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x297a2d39) | 0;
  seed = Math.imul(seed ^ (seed >>> 12), 0x297a2d39) ^ (seed >>> 15);
  return (seed >>> 0) % n;
}

// ---- generated programs -------------------------------------------------------------

const NAMES = ["price", "count", "limit", "offset", "width", "height", "depth", "ratio", "total", "index"];
const FIELDS = ["x", "y", "len", "sum"];
const BINARY = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]];
const BUILTINS = ["max", "min", "abs", "hash", "len"];

// One child of every construct (the spine) nests one level deeper; its siblings stay
// shallow, so a program's size grows with its depth, not exponentially.
const side = (depth) => (depth > 1 ? random(2) : 0);
const pick = (list) => list[random(list.length)];

function genPrimary(depth) {
  if (depth <= 0) return random(3) === 0 ? pick(NAMES) : String(random(1000));
  const d = depth - 1;
  const spine = random(2);
  switch (random(7)) {
    case 0: return `(${genExpression(d)})`;
    case 1: return `[${genList(d)}]`;
    case 2: {
      const fields = FIELDS.slice(0, 1 + random(FIELDS.length));
      const deep = random(fields.length);
      return `{${fields.map((f, i) => `${f}: ${genExpression(i === deep ? d : side(d))}`).join(", ")}}`;
    }
    case 3: return `let ${pick(NAMES)} = ${genExpression(spine ? d : side(d))} in ${genExpression(spine ? side(d) : d)}`;
    case 4: return `${pick(BUILTINS)}(${genList(d)})`;
    case 5: return `(fn ${pick(NAMES)} => ${genExpression(spine ? d : side(d))})(${genExpression(spine ? side(d) : d)})`;
    default: return genUnary(d);
  }
}

function genList(depth) {
  const n = 1 + random(3), deep = random(n), items = [];
  for (let i = 0; i < n; i++) items.push(genExpression(i === deep ? depth : side(depth)));
  return items.join(", ");
}

function genUnary(depth) {
  const base = genPrimary(depth);
  switch (random(6)) {
    case 0: return `-${base}`;
    case 1: return `!${base}`;
    case 2: return `${base}[${random(4)}]`;
    case 3: return `${base}.${pick(FIELDS)}`;
    default: return base;
  }
}

function genExpression(depth) {
  if (random(5) === 0) {
    const deep = random(3);
    return `${genUnary(deep === 0 ? depth : side(depth))} ? ${genUnary(deep === 1 ? depth : side(depth))} : ${genUnary(deep === 2 ? depth : side(depth))}`;
  }
  const ops = pick(BINARY);
  const n = 1 + random(3), deep = random(n);
  let text = genUnary(deep === 0 ? depth : side(depth));
  for (let i = 1; i < n; i++) text += ` ${pick(ops)} ${genUnary(i === deep ? depth : side(depth))}`;
  return text;
}

// ---- lexer --------------------------------------------------------------------------

const PUNCT = new Set(["(", ")", "[", "]", "{", "}", ",", ":", "?", ".", "+", "-", "*", "/", "%", "!", "^", "&", "|", "<", ">", "="]);
const TWO = new Set(["||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "=>"]);
const KEYWORDS = new Set(["let", "in", "fn"]);

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " ") { i++; continue; }
    if (c >= "0" && c <= "9") {
      let j = i + 1;
      while (j < text.length && text[j] >= "0" && text[j] <= "9") j++;
      tokens.push({kind: "num", value: Number(text.slice(i, j))});
      i = j;
    } else if (c >= "a" && c <= "z") {
      let j = i + 1;
      while (j < text.length && text[j] >= "a" && text[j] <= "z") j++;
      const word = text.slice(i, j);
      tokens.push({kind: KEYWORDS.has(word) ? word : "name", value: word});
      i = j;
    } else if (TWO.has(text.slice(i, i + 2))) {
      tokens.push({kind: text.slice(i, i + 2)});
      i += 2;
    } else if (PUNCT.has(c)) {
      tokens.push({kind: c});
      i++;
    } else {
      throw new Error(`unexpected character ${c} at ${i}`);
    }
  }
  tokens.push({kind: "end"});
  return tokens;
}

// ---- recursive-descent parser: one function per precedence level ---------------------

class Parser {
  constructor(tokens) { this.tokens = tokens; this.pos = 0; }
  peek() { return this.tokens[this.pos].kind; }
  next() { return this.tokens[this.pos++]; }
  expect(kind) {
    const t = this.next();
    if (t.kind !== kind) throw new Error(`expected ${kind}, got ${t.kind} at token ${this.pos - 1}`);
    return t;
  }
  binary(operand, ops) {
    let left = operand.call(this);
    while (ops.includes(this.peek())) left = {type: "binary", op: this.next().kind, left, right: operand.call(this)};
    return left;
  }
  parseExpression() { return this.parseTernary(); }
  parseTernary() {
    const test = this.parseOr();
    if (this.peek() !== "?") return test;
    this.next();
    const then = this.parseOr();
    this.expect(":");
    return {type: "ternary", test, then, otherwise: this.parseOr()};
  }
  parseOr() { return this.binary(this.parseAnd, ["||"]); }
  parseAnd() { return this.binary(this.parseBitOr, ["&&"]); }
  parseBitOr() { return this.binary(this.parseBitXor, ["|"]); }
  parseBitXor() { return this.binary(this.parseBitAnd, ["^"]); }
  parseBitAnd() { return this.binary(this.parseEquality, ["&"]); }
  parseEquality() { return this.binary(this.parseRelational, ["==", "!="]); }
  parseRelational() { return this.binary(this.parseShift, ["<", ">", "<=", ">="]); }
  parseShift() { return this.binary(this.parseAdditive, ["<<", ">>"]); }
  parseAdditive() { return this.binary(this.parseMultiplicative, ["+", "-"]); }
  parseMultiplicative() { return this.binary(this.parseUnary, ["*", "/", "%"]); }
  parseUnary() {
    const k = this.peek();
    if (k === "-" || k === "!") { this.next(); return {type: "unary", op: k, operand: this.parseUnary()}; }
    return this.parsePostfix();
  }
  parsePostfix() {
    let node = this.parsePrimary();
    for (;;) {
      if (this.peek() === "[") { this.next(); node = {type: "index", target: node, index: this.parseExpression()}; this.expect("]"); }
      else if (this.peek() === ".") { this.next(); node = {type: "field", target: node, name: this.expect("name").value}; }
      else if (this.peek() === "(") { this.next(); node = {type: "call", callee: node, args: this.parseArguments(")")}; }
      else return node;
    }
  }
  parseArguments(close) {
    const args = [];
    if (this.peek() !== close) {
      do args.push(this.parseExpression());
      while (this.peek() === "," && this.next());
    }
    this.expect(close);
    return args;
  }
  parsePrimary() {
    const t = this.next();
    switch (t.kind) {
      case "num": return {type: "num", value: t.value};
      case "name": return {type: "name", name: t.value};
      case "(": { const e = this.parseExpression(); this.expect(")"); return e; }
      case "[": return {type: "array", items: this.parseArguments("]")};
      case "{": return this.parseObject();
      case "let": return this.parseLet();
      case "fn": return this.parseLambda();
      default: throw new Error(`unexpected ${t.kind} at token ${this.pos - 1}`);
    }
  }
  parseObject() {
    const fields = [];
    do {
      const name = this.expect("name").value;
      this.expect(":");
      fields.push([name, this.parseExpression()]);
    } while (this.peek() === "," && this.next());
    this.expect("}");
    return {type: "object", fields};
  }
  parseLet() {
    const name = this.expect("name").value;
    this.expect("=");
    const value = this.parseExpression();
    this.expect("in");
    return {type: "let", name, value, body: this.parseExpression()};
  }
  parseLambda() {
    const param = this.expect("name").value;
    this.expect("=>");
    return {type: "lambda", param, body: this.parseExpression()};
  }
}

// ---- tree-walking evaluator: one function per node type -----------------------------

const num = (v) => (typeof v === "number" ? v | 0 : Array.isArray(v) ? v.length : v && typeof v === "object" ? 1 : 0);

function evaluate(node, env) {
  switch (node.type) {
    case "num": return node.value;
    case "name": return env.get(node.name) ?? node.name.length;
    case "binary": return evalBinary(node, env);
    case "unary": return evalUnary(node, env);
    case "ternary": return num(evaluate(node.test, env)) ? evaluate(node.then, env) : evaluate(node.otherwise, env);
    case "index": return evalIndex(node, env);
    case "field": return evalField(node, env);
    case "call": return evalCall(node, env);
    case "array": return node.items.map((item) => evaluate(item, env));
    case "object": return evalObject(node, env);
    case "let": return evalLet(node, env);
    case "lambda": return {param: node.param, body: node.body, env};
    default: throw new Error(`unknown node ${node.type}`);
  }
}

function evalBinary(node, env) {
  const a = num(evaluate(node.left, env));
  if (node.op === "&&") return a ? num(evaluate(node.right, env)) : 0;
  if (node.op === "||") return a || num(evaluate(node.right, env));
  const b = num(evaluate(node.right, env));
  switch (node.op) {
    case "|": return a | b;
    case "^": return a ^ b;
    case "&": return a & b;
    case "==": return +(a === b);
    case "!=": return +(a !== b);
    case "<": return +(a < b);
    case ">": return +(a > b);
    case "<=": return +(a <= b);
    case ">=": return +(a >= b);
    case "<<": return a << (b & 15);
    case ">>": return a >> (b & 15);
    case "+": return (a + b) | 0;
    case "-": return (a - b) | 0;
    case "*": return Math.imul(a, b);
    case "/": return b === 0 ? 0 : (a / b) | 0;
    default: return b === 0 ? 0 : a % b;
  }
}

function evalUnary(node, env) {
  const v = num(evaluate(node.operand, env));
  return node.op === "-" ? -v | 0 : +!v;
}

function evalIndex(node, env) {
  const target = evaluate(node.target, env);
  const i = num(evaluate(node.index, env));
  return Array.isArray(target) && target.length ? target[Math.abs(i) % target.length] : num(target) + i;
}

function evalField(node, env) {
  const target = evaluate(node.target, env);
  return target && typeof target === "object" && !Array.isArray(target) && node.name in target ? target[node.name] : num(target);
}

function evalObject(node, env) {
  const out = {};
  for (const [name, value] of node.fields) out[name] = evaluate(value, env);
  return out;
}

function evalLet(node, env) {
  const inner = new Map(env);
  inner.set(node.name, evaluate(node.value, env));
  return evaluate(node.body, inner);
}

function evalCall(node, env) {
  const args = node.args.map((a) => evaluate(a, env));
  if (node.callee.type === "name" && BUILTINS.includes(node.callee.name)) return callBuiltin(node.callee.name, args);
  const f = evaluate(node.callee, env);
  if (f && typeof f === "object" && "body" in f) return applyLambda(f, args[0]);
  return args.reduce((acc, v) => (acc + num(v)) | 0, num(f));
}

function applyLambda(f, arg) {
  const inner = new Map(f.env);
  inner.set(f.param, arg);
  return evaluate(f.body, inner);
}

function callBuiltin(name, args) {
  const nums = args.map(num);
  switch (name) {
    case "max": return Math.max(...nums);
    case "min": return Math.min(...nums);
    case "abs": return Math.abs(nums[0]);
    case "len": return args.length;
    default: return nums.reduce((h, v) => Math.imul(h ^ v, 0x01000193), 0x811c9dc5);
  }
}

// ---- printer (the tree back to text) ------------------------------------------------

function print(node) {
  switch (node.type) {
    case "num": return String(node.value);
    case "name": return node.name;
    case "binary": return `(${print(node.left)} ${node.op} ${print(node.right)})`;
    case "unary": return `${node.op}${print(node.operand)}`;
    case "ternary": return `(${print(node.test)} ? ${print(node.then)} : ${print(node.otherwise)})`;
    case "index": return `${print(node.target)}[${print(node.index)}]`;
    case "field": return `${print(node.target)}.${node.name}`;
    case "call": return `${print(node.callee)}(${node.args.map(print).join(", ")})`;
    case "array": return `[${node.items.map(print).join(", ")}]`;
    case "object": return `{${node.fields.map(([n, v]) => `${n}: ${print(v)}`).join(", ")}}`;
    case "let": return `let ${node.name} = ${print(node.value)} in ${print(node.body)}`;
    default: return `fn ${node.param} => ${print(node.body)}`;
  }
}

// ---- the request loop ---------------------------------------------------------------

function handleRequest(env) {
  const text = genExpression(2 + random(5));
  const tree = new Parser(tokenize(text)).parseExpression();
  const value = num(evaluate(tree, env));
  // Parse the printed tree again: the second parse sees other token shapes.
  const again = new Parser(tokenize(print(tree))).parseExpression();
  return (value ^ num(evaluate(again, env)) ^ text.length) | 0;
}

const env = new Map(NAMES.map((n, i) => [n, i * 7 + 3]));
const deadline = Date.now() + seconds * 1000;
let acc = 0, requests = 0;
while (Date.now() < deadline) {
  for (let k = 0; k < 100; k++, requests++) acc ^= handleRequest(env);
}
console.log(`deep-parser done: ${requests} requests, ${acc}`);
