import { describe, expect, it } from 'vitest';
import { assertPlanTrusted, benchHostCommands, isPlanNeedsTrust, planHostCommands, PlanNeedsTrustError, shellQuote } from '../../shared/consent';

const own = { kind: 'custom' as const, command: ['sh', '-c', 'rm -rf ~/x; echo ready'], readiness: { kind: 'log' as const, pattern: 'ready' } };

describe('consent before a plan runs its own command on the host', () => {
  it('asks for the process floor and raw OCI runtimes, never for built-in workloads or containers alone', () => {
    expect(benchHostCommands({ target: 'process', workload: own })).toEqual([{ command: own.command, models: ['process'] }]);
    // The floor measured beside containers runs the workload on the host too.
    expect(benchHostCommands({ target: 'containers', workload: own })).toHaveLength(1);
    expect(benchHostCommands({ target: 'containers', workload: own, baseline: false })).toEqual([]);
    expect(benchHostCommands({ target: 'containers', workload: { ...own, image: 'alpine:3' } })).toEqual([]);
    expect(benchHostCommands({ target: 'process', workload: { kind: 'sleep' } })).toEqual([]);
    expect(benchHostCommands({ target: 'process' })).toEqual([]);
    // A built-in kind with the plan's own command is the plan's command.
    expect(benchHostCommands({ target: 'process', workload: { kind: 'true', command: ['sh', '-c', 'x'] } })).toHaveLength(1);

    expect(planHostCommands({ workload: own })).toEqual([{ command: own.command, models: ['process', 'oci:*'] }]);
    expect(planHostCommands({ workload: own, models: ['container:runc', 'oci:crun'] })).toEqual([{ command: own.command, models: ['oci:crun'] }]);
    expect(planHostCommands({ workload: own, models: ['container:runc', 'vm:qemu'] })).toEqual([]);
    expect(planHostCommands({ workload: { kind: 'server' } })).toEqual([]);
    expect(planHostCommands(undefined)).toEqual([]);
  });

  it('refuses without an explicit yes, with a code that survives a trip through a bridge as text', () => {
    const commands = planHostCommands({ workload: own });
    expect(() => assertPlanTrusted(commands, undefined)).toThrow(PlanNeedsTrustError);
    expect(() => assertPlanTrusted(commands, false)).toThrow(PlanNeedsTrustError);
    expect(() => assertPlanTrusted(commands, true)).not.toThrow();
    expect(() => assertPlanTrusted([], undefined)).not.toThrow();
    try {
      assertPlanTrusted(commands, undefined);
    } catch (err) {
      expect((err as PlanNeedsTrustError).code).toBe('plan-needs-trust');
      expect((err as PlanNeedsTrustError).commands).toEqual(commands);
      // Electron prefixes errors from ipcMain.handle; the WebSocket passes the message as is.
      expect(isPlanNeedsTrust(new Error(`Error invoking remote method 'isolab:startCompare': Error: ${(err as Error).message}`))).toBe(true);
    }
    expect(isPlanNeedsTrust(new Error('no engine'))).toBe(false);
  });

  it('shows a command the way a shell reads it', () => {
    expect(shellQuote(['sh', '-c', "echo 'hi'; sleep 1"])).toBe(`sh -c 'echo '\\''hi'\\''; sleep 1'`);
    expect(shellQuote(['httpd', '-p', '127.0.0.1:{port}'])).toBe('httpd -p 127.0.0.1:{port}');
  });
});
