/**
 * After a worker crash the panel's work runs again once the new worker is ready, but only once
 * in a row: a request that itself kills the worker must not kill it forever.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrashRecovery } from '../../../src/extension/crashRecovery';

describe('CrashRecovery', () => {
  it('reruns the lost work once after a crash, and hides failures until the worker is ready', () => {
    const r = new CrashRecovery();
    assert.equal(r.awaitingRestart, false);
    r.crashed();
    assert.equal(r.awaitingRestart, true);
    assert.equal(r.takeRerun(), true);
    assert.equal(r.takeRerun(), false, 'once');
    assert.equal(r.awaitingRestart, false);
  });

  it('does not rerun after a second crash in a row: that work is what crashes the worker', () => {
    const r = new CrashRecovery();
    r.crashed();
    r.takeRerun();
    r.crashed();
    assert.equal(r.takeRerun(), false);
  });

  it('reruns again after a success in between', () => {
    const r = new CrashRecovery();
    r.crashed();
    r.takeRerun();
    r.succeeded();
    r.crashed();
    assert.equal(r.takeRerun(), true);
  });

  it('reruns after a restart on purpose (another backend or limits) without counting a crash', () => {
    const r = new CrashRecovery();
    r.crashed();
    r.takeRerun();
    r.restarting();
    assert.equal(r.takeRerun(), true);
  });
});
