/** The SDK's browser bundle, measured: minified bytes, min+gzip bytes, the budget, the inputs. */
export function measureBundle(): Promise<{
  bytes: number;
  gzip: number;
  budget: number;
  inputs: string[];
}>;
