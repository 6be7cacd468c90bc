// What every importer takes.

export interface ImportOptions {
  /** What is read (a file name), for messages. */
  source?: string;
  /** Samples kept at most (see ParseOptions.maxSamples). */
  maxSamples?: number;
  /** pprof: the sample type to read (`cpu`, `samples`, `alloc_space` …); default
   * `samples`, else `cpu`, else the profile's default type, else its last. */
  sampleType?: string;
}
