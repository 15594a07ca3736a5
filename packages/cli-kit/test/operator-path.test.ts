import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operatorPath } from '../src/index.js';

describe('operatorPath', () => {
  it('takes a relative path flag from where the operator typed the command under pnpm, not the package folder pnpm runs in', () => {
    const pnpm = { INIT_CWD: '/home/op/agent', npm_package_json: join(process.cwd(), 'package.json') };
    expect(operatorPath('rotation.json', pnpm)).toBe('/home/op/agent/rotation.json');
    expect(operatorPath('../ca.pem', pnpm)).toBe('/home/op/ca.pem');
  });

  it('without a package manager, takes it from the working directory; absolute and unset stay as they are', () => {
    expect(operatorPath('x.pid', {})).toBe(join(process.cwd(), 'x.pid'));
    expect(operatorPath('/etc/vault/ca.pem', { INIT_CWD: '/elsewhere' })).toBe('/etc/vault/ca.pem');
    expect(operatorPath(undefined, {})).toBeUndefined();
  });
});
