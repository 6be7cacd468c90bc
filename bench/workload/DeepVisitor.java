import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DeepVisitor: the JVM part of the benchmark's deep-stack capture (bench/record-deep.sh).
 *
 * THREADS threads ("tree-visitor-N") build random expression trees of 24 node types,
 * one branch of each tree (the spine) 12..40 levels deep, and walk each tree with three
 * visitors: an evaluator, a printer and a constant-folding rewriter, then evaluate the
 * rewritten tree. Every level of a walk is two frames (NODE.accept, VISITOR.visitNODE);
 * the accept call sites see 24 classes and the visit call sites three visitors, so C2
 * cannot inline them away, and stacks are 30..90 frames deep with paths that depend on
 * the generated tree.
 *
 * Run: java -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit
 *        -cp CLASSES DeepVisitor SECONDS [THREADS]
 * The JVM writes /tmp/perf-PID.map when it exits, so let it end by itself.
 */
public final class DeepVisitor {
  interface Node { <R> R accept(Visitor<R> v); }

  interface Visitor<R> {
    R visitConst(Const n); R visitVar(Var n); R visitText(Text n); R visitFlag(Flag n);
    R visitNeg(Neg n); R visitNot(Not n); R visitAbs(Abs n); R visitSquare(Square n);
    R visitAdd(Add n); R visitSub(Sub n); R visitMul(Mul n); R visitDiv(Div n);
    R visitMod(Mod n); R visitAnd(And n); R visitOr(Or n); R visitXor(Xor n);
    R visitShift(Shift n); R visitLess(Less n); R visitEqual(Equal n); R visitIf(If n);
    R visitLet(Let n); R visitCall(Call n); R visitIndex(Index n); R visitList(ListOf n);
  }

  record Const(long value) implements Node { public <R> R accept(Visitor<R> v) { return v.visitConst(this); } }
  record Var(int slot) implements Node { public <R> R accept(Visitor<R> v) { return v.visitVar(this); } }
  record Text(String text) implements Node { public <R> R accept(Visitor<R> v) { return v.visitText(this); } }
  record Flag(boolean on) implements Node { public <R> R accept(Visitor<R> v) { return v.visitFlag(this); } }
  record Neg(Node x) implements Node { public <R> R accept(Visitor<R> v) { return v.visitNeg(this); } }
  record Not(Node x) implements Node { public <R> R accept(Visitor<R> v) { return v.visitNot(this); } }
  record Abs(Node x) implements Node { public <R> R accept(Visitor<R> v) { return v.visitAbs(this); } }
  record Square(Node x) implements Node { public <R> R accept(Visitor<R> v) { return v.visitSquare(this); } }
  record Add(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitAdd(this); } }
  record Sub(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitSub(this); } }
  record Mul(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitMul(this); } }
  record Div(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitDiv(this); } }
  record Mod(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitMod(this); } }
  record And(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitAnd(this); } }
  record Or(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitOr(this); } }
  record Xor(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitXor(this); } }
  record Shift(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitShift(this); } }
  record Less(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitLess(this); } }
  record Equal(Node l, Node r) implements Node { public <R> R accept(Visitor<R> v) { return v.visitEqual(this); } }
  record If(Node test, Node then, Node otherwise) implements Node { public <R> R accept(Visitor<R> v) { return v.visitIf(this); } }
  record Let(int slot, Node value, Node body) implements Node { public <R> R accept(Visitor<R> v) { return v.visitLet(this); } }
  record Call(String name, List<Node> args) implements Node { public <R> R accept(Visitor<R> v) { return v.visitCall(this); } }
  record Index(Node list, Node at) implements Node { public <R> R accept(Visitor<R> v) { return v.visitIndex(this); } }
  record ListOf(List<Node> items) implements Node { public <R> R accept(Visitor<R> v) { return v.visitList(this); } }

  static final String[] FUNCTIONS = {"hash", "clamp", "mean", "spread", "count"};
  static final int SLOTS = 8;

  /** Evaluates a tree to a long; Let binds slots in a small environment array. */
  static final class Evaluator implements Visitor<Long> {
    final long[] env = new long[SLOTS];
    long eval(Node n) { return n.accept(this); }
    public Long visitConst(Const n) { return n.value(); }
    public Long visitVar(Var n) { return env[n.slot()]; }
    public Long visitText(Text n) { return (long) n.text().hashCode(); }
    public Long visitFlag(Flag n) { return n.on() ? 1L : 0L; }
    public Long visitNeg(Neg n) { return -eval(n.x()); }
    public Long visitNot(Not n) { return eval(n.x()) == 0 ? 1L : 0L; }
    public Long visitAbs(Abs n) { return Math.abs(eval(n.x())); }
    public Long visitSquare(Square n) { long x = eval(n.x()); return x * x; }
    public Long visitAdd(Add n) { return eval(n.l()) + eval(n.r()); }
    public Long visitSub(Sub n) { return eval(n.l()) - eval(n.r()); }
    public Long visitMul(Mul n) { return eval(n.l()) * eval(n.r()); }
    public Long visitDiv(Div n) { long a = eval(n.l()), b = eval(n.r()); return b == 0 ? 0 : a / b; }
    public Long visitMod(Mod n) { long a = eval(n.l()), b = eval(n.r()); return b == 0 ? 0 : a % b; }
    public Long visitAnd(And n) { return eval(n.l()) & eval(n.r()); }
    public Long visitOr(Or n) { return eval(n.l()) | eval(n.r()); }
    public Long visitXor(Xor n) { return eval(n.l()) ^ eval(n.r()); }
    public Long visitShift(Shift n) { return eval(n.l()) << (eval(n.r()) & 15); }
    public Long visitLess(Less n) { return eval(n.l()) < eval(n.r()) ? 1L : 0L; }
    public Long visitEqual(Equal n) { return eval(n.l()) == eval(n.r()) ? 1L : 0L; }
    public Long visitIf(If n) { return eval(n.test()) != 0 ? eval(n.then()) : eval(n.otherwise()); }
    public Long visitLet(Let n) {
      long saved = env[n.slot()];
      env[n.slot()] = eval(n.value());
      long r = eval(n.body());
      env[n.slot()] = saved;
      return r;
    }
    public Long visitCall(Call n) {
      long acc = n.name().hashCode();
      for (Node a : n.args()) acc = acc * 31 + eval(a);
      return acc;
    }
    public Long visitIndex(Index n) {
      long at = eval(n.at());
      if (n.list() instanceof ListOf l && !l.items().isEmpty()) return eval(l.items().get((int) Math.floorMod(at, l.items().size())));
      return eval(n.list()) + at;
    }
    public Long visitList(ListOf n) {
      long acc = n.items().size();
      for (Node item : n.items()) acc ^= eval(item);
      return acc;
    }
  }

  /** Prints a tree as text into one builder; returns the length written. */
  static final class Printer implements Visitor<Integer> {
    final StringBuilder out = new StringBuilder();
    int print(Node n) { return n.accept(this); }
    int unary(String op, Node x) { int at = out.length(); out.append(op).append('('); print(x); out.append(')'); return out.length() - at; }
    int binary(String op, Node l, Node r) { int at = out.length(); out.append('('); print(l); out.append(' ').append(op).append(' '); print(r); out.append(')'); return out.length() - at; }
    int list(String open, List<Node> items, String close) {
      int at = out.length();
      out.append(open);
      for (int i = 0; i < items.size(); i++) { if (i > 0) out.append(", "); print(items.get(i)); }
      out.append(close);
      return out.length() - at;
    }
    public Integer visitConst(Const n) { int at = out.length(); out.append(n.value()); return out.length() - at; }
    public Integer visitVar(Var n) { out.append('v').append(n.slot()); return 2; }
    public Integer visitText(Text n) { out.append('"').append(n.text()).append('"'); return n.text().length() + 2; }
    public Integer visitFlag(Flag n) { out.append(n.on()); return n.on() ? 4 : 5; }
    public Integer visitNeg(Neg n) { return unary("-", n.x()); }
    public Integer visitNot(Not n) { return unary("!", n.x()); }
    public Integer visitAbs(Abs n) { return unary("abs", n.x()); }
    public Integer visitSquare(Square n) { return unary("sq", n.x()); }
    public Integer visitAdd(Add n) { return binary("+", n.l(), n.r()); }
    public Integer visitSub(Sub n) { return binary("-", n.l(), n.r()); }
    public Integer visitMul(Mul n) { return binary("*", n.l(), n.r()); }
    public Integer visitDiv(Div n) { return binary("/", n.l(), n.r()); }
    public Integer visitMod(Mod n) { return binary("%", n.l(), n.r()); }
    public Integer visitAnd(And n) { return binary("&", n.l(), n.r()); }
    public Integer visitOr(Or n) { return binary("|", n.l(), n.r()); }
    public Integer visitXor(Xor n) { return binary("^", n.l(), n.r()); }
    public Integer visitShift(Shift n) { return binary("<<", n.l(), n.r()); }
    public Integer visitLess(Less n) { return binary("<", n.l(), n.r()); }
    public Integer visitEqual(Equal n) { return binary("==", n.l(), n.r()); }
    public Integer visitIf(If n) { return list("if(", List.of(n.test(), n.then(), n.otherwise()), ")"); }
    public Integer visitLet(Let n) { out.append("let v").append(n.slot()).append(" = "); return 8 + list("(", List.of(n.value(), n.body()), ")"); }
    public Integer visitCall(Call n) { out.append(n.name()); return n.name().length() + list("(", n.args(), ")"); }
    public Integer visitIndex(Index n) { return list("at(", List.of(n.list(), n.at()), ")"); }
    public Integer visitList(ListOf n) { return list("[", n.items(), "]"); }
  }

  /** Folds constant subtrees; rebuilds the nodes above them (allocation for the GC). */
  static final class Folder implements Visitor<Node> {
    final Evaluator constants = new Evaluator();
    Node fold(Node n) { return n.accept(this); }
    Node unary(Node folded, java.util.function.Function<Node, Node> make) {
      Node n = make.apply(folded);
      return folded instanceof Const ? new Const(constants.eval(n)) : n;
    }
    Node binary(Node l, Node r, java.util.function.BinaryOperator<Node> make) {
      Node n = make.apply(l, r);
      return l instanceof Const && r instanceof Const ? new Const(constants.eval(n)) : n;
    }
    List<Node> all(List<Node> items) {
      List<Node> out = new ArrayList<>(items.size());
      for (Node item : items) out.add(fold(item));
      return out;
    }
    public Node visitConst(Const n) { return n; }
    public Node visitVar(Var n) { return n; }
    public Node visitText(Text n) { return new Const(n.text().length()); }
    public Node visitFlag(Flag n) { return new Const(n.on() ? 1 : 0); }
    public Node visitNeg(Neg n) { return unary(fold(n.x()), Neg::new); }
    public Node visitNot(Not n) { return unary(fold(n.x()), Not::new); }
    public Node visitAbs(Abs n) { return unary(fold(n.x()), Abs::new); }
    public Node visitSquare(Square n) { return unary(fold(n.x()), Square::new); }
    public Node visitAdd(Add n) { return binary(fold(n.l()), fold(n.r()), Add::new); }
    public Node visitSub(Sub n) { return binary(fold(n.l()), fold(n.r()), Sub::new); }
    public Node visitMul(Mul n) { return binary(fold(n.l()), fold(n.r()), Mul::new); }
    public Node visitDiv(Div n) { return binary(fold(n.l()), fold(n.r()), Div::new); }
    public Node visitMod(Mod n) { return binary(fold(n.l()), fold(n.r()), Mod::new); }
    public Node visitAnd(And n) { return binary(fold(n.l()), fold(n.r()), And::new); }
    public Node visitOr(Or n) { return binary(fold(n.l()), fold(n.r()), Or::new); }
    public Node visitXor(Xor n) { return binary(fold(n.l()), fold(n.r()), Xor::new); }
    public Node visitShift(Shift n) { return binary(fold(n.l()), fold(n.r()), Shift::new); }
    public Node visitLess(Less n) { return binary(fold(n.l()), fold(n.r()), Less::new); }
    public Node visitEqual(Equal n) { return binary(fold(n.l()), fold(n.r()), Equal::new); }
    public Node visitIf(If n) {
      Node test = fold(n.test());
      if (test instanceof Const c) return c.value() != 0 ? fold(n.then()) : fold(n.otherwise());
      return new If(test, fold(n.then()), fold(n.otherwise()));
    }
    public Node visitLet(Let n) { return new Let(n.slot(), fold(n.value()), fold(n.body())); }
    public Node visitCall(Call n) { return new Call(n.name(), all(n.args())); }
    public Node visitIndex(Index n) { return new Index(fold(n.list()), fold(n.at())); }
    public Node visitList(ListOf n) { return new ListOf(all(n.items())); }
  }

  /** Random trees: one child per node (the spine) goes `depth` levels down, the others
   * stay within two levels, so a tree's size grows with its depth, not exponentially. */
  static final class Generator {
    final SplittableRandom rnd;
    Generator(long seed) { rnd = new SplittableRandom(seed); }
    Node side(int depth) { return gen(Math.min(depth, rnd.nextInt(3))); }
    Node leaf() {
      switch (rnd.nextInt(4)) {
        case 0: return new Const(rnd.nextInt(1000));
        case 1: return new Var(rnd.nextInt(SLOTS));
        case 2: return new Text(FUNCTIONS[rnd.nextInt(FUNCTIONS.length)]);
        default: return new Flag(rnd.nextBoolean());
      }
    }
    List<Node> items(int depth) {
      int n = 1 + rnd.nextInt(3), deep = rnd.nextInt(n);
      List<Node> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) out.add(i == deep ? gen(depth) : side(depth));
      return out;
    }
    Node gen(int depth) {
      if (depth <= 0) return leaf();
      int d = depth - 1, kind = rnd.nextInt(20);
      switch (kind) {
        case 0: return new Neg(gen(d));
        case 1: return new Not(gen(d));
        case 2: return new Abs(gen(d));
        case 3: return new Square(gen(d));
        case 17: return new Call(FUNCTIONS[rnd.nextInt(FUNCTIONS.length)], items(d));
        case 18: return new Index(new ListOf(items(d)), side(d));
        case 19: return new ListOf(items(d));
        default: break;
      }
      boolean left = rnd.nextBoolean();
      Node a = left ? gen(d) : side(d), b = left ? side(d) : gen(d);
      switch (kind) {
        case 4: return new Add(a, b);
        case 5: return new Sub(a, b);
        case 6: return new Mul(a, b);
        case 7: return new Div(a, b);
        case 8: return new Mod(a, b);
        case 9: return new And(a, b);
        case 10: return new Or(a, b);
        case 11: return new Xor(a, b);
        case 12: return new Shift(a, b);
        case 13: return new Less(a, b);
        case 14: return new Equal(a, b);
        case 15: return new If(side(d), a, b);
        default: return new Let(rnd.nextInt(SLOTS), a, b);
      }
    }
  }

  static long handleRequest(Generator g) {
    Node tree = g.gen(12 + g.rnd.nextInt(29));
    long value = new Evaluator().eval(tree);
    Printer printer = new Printer();
    int printed = printer.print(tree);
    Node folded = new Folder().fold(tree);
    return value ^ printed ^ new Evaluator().eval(folded);
  }

  static volatile long sink;

  public static void main(String[] args) throws InterruptedException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final long seed = 0x9E3779B97F4A7C15L * (t + 1);
      Thread w = new Thread(() -> {
        Generator g = new Generator(seed);
        long acc = 0;
        while (System.nanoTime() < deadline) {
          for (int i = 0; i < 64; i++) acc ^= handleRequest(g);
        }
        sink ^= acc;
      }, "tree-visitor-" + (t + 1));
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) w.join();
    System.out.println("deep-visitor done, sink=" + sink);
  }
}
