export interface BundleSize {
  file: string;
  bytes: number;
  gzip: number;
}

export function measureBundles(): Promise<{
  npm: BundleSize;
  standalone: BundleSize;
  budget: number;
}>;
