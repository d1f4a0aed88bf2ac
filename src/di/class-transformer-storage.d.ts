// class-transformer ships no declarations next to its CommonJS files; json-conversion.ts reads this
// module's storage only through a runtime-checked shape, so `unknown` is all it needs.
declare module 'class-transformer/cjs/storage' {
  export const defaultMetadataStorage: unknown;
}
