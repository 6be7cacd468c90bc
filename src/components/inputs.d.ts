// The part of @observablehq/inputs (which ships no types) the site's components use.
declare module "@observablehq/inputs" {
  interface InputOptions<T> {
    label?: string;
    value?: T;
    format?: (value: T) => string;
    disabled?: boolean;
  }
  /** An input element: its `value` and an "input" event when it changes. */
  type Input<T> = HTMLElement & {value: T};
  export function radio<T>(values: readonly T[], options?: InputOptions<T>): Input<T>;
  export function select<T>(values: readonly T[], options?: InputOptions<T>): Input<T>;
  export function form<T extends Record<string, unknown>>(inputs: {[K in keyof T]: Input<T[K]>}, options?: {template?: (inputs: Record<string, HTMLElement>) => HTMLElement}): Input<T>;
}
