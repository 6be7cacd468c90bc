export interface StaticServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  close(): Promise<void>;
}
export function serveStatic(dir: string): Promise<StaticServer>;
