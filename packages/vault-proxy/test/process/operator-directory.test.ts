import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operatorDirectory, resolveOperatorPath } from '../../src/process/index.js';

const pkg = realpathSync(mkdtempSync(join(tmpdir(), 'vp-operator-pkg-')));
const typed = '/home/op/src/agent-repo';

describe('operatorDirectory: where the operator typed the command', () => {
  it('is INIT_CWD when a package manager runs the script in its package folder (pnpm --filter … run)', () => {
    const env = { INIT_CWD: typed, npm_package_json: join(pkg, 'package.json') };
    expect(operatorDirectory(env, pkg)).toBe(typed);
    expect(resolveOperatorPath('rotation.json', env, pkg)).toBe(join(typed, 'rotation.json'));
  });

  it('is INIT_CWD when only INIT_CWD is set (a caller that says where it was typed)', () => {
    expect(operatorDirectory({ INIT_CWD: typed }, pkg)).toBe(typed);
  });

  it('is the working directory of a bin that inherited INIT_CWD but runs outside that package (started elsewhere)', () => {
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'vp-operator-cwd-')));
    const env = { INIT_CWD: typed, npm_package_json: join(pkg, 'package.json') };
    expect(operatorDirectory(env, elsewhere)).toBe(elsewhere);
  });

  it('is the working directory without a package manager, and leaves absolute paths alone', () => {
    expect(operatorDirectory({}, pkg)).toBe(pkg);
    expect(resolveOperatorPath('/etc/ca.pem', { INIT_CWD: typed }, pkg)).toBe('/etc/ca.pem');
    expect(resolveOperatorPath('../x.pid', {}, pkg)).toBe(join(pkg, '..', 'x.pid'));
  });
});
