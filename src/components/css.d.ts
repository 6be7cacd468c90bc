// A stylesheet imported as its text (esbuild's "text" loader; scripts/bundle.js).
declare module "*.css" {
  const text: string;
  export default text;
}
