import { defineConfig } from 'tsup';

// One entry per product (the package.json `exports` map mirrors these names).
// Splitting for both formats: shared code (VaultProxyError, SecretValue) is one module, so instanceof holds across entries.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    infisical: 'src/infisical/index.ts',
    provision: 'src/provision/index.ts',
    mcp: 'src/mcp/index.ts',
    doctor: 'src/doctor/index.ts',
    process: 'src/process/index.ts',
    settings: 'src/settings/index.ts',
  },
  format: ['esm', 'cjs'],
  splitting: true,
  dts: true,
  clean: true,
  target: 'node20',
});
