// Columns of numbers that grow by doubling while a parse appends to them, then are
// cut to their length for the profile.

type Column = Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

export class GrowableColumn<A extends Column> {
  data: A;
  length = 0;

  constructor(private readonly make: (capacity: number) => A, capacity = 1024) {
    this.data = make(capacity);
  }

  /** Appends v and returns its index. */
  push(v: number): number {
    if (this.length === this.data.length) {
      const d = this.make(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length] = v;
    return this.length++;
  }

  /** The values, in an array of their own length. */
  result(): A {
    return this.data.slice(0, this.length) as A;
  }
}

export const int32Column = (capacity?: number) => new GrowableColumn((n) => new Int32Array(n), capacity);
export const float64Column = (capacity?: number) => new GrowableColumn((n) => new Float64Array(n), capacity);
