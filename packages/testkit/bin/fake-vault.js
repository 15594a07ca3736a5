#!/usr/bin/env -S node --
// A committed shim so pnpm can link the bin before the package is built.
import '../dist/fake-vault.js';
