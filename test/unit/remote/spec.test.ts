import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configAliases, parseTarget, resolveHost } from '../../../electron/lab/remote/spec';

const CONFIG = `
Host azure-vm
  HostName 10.1.2.3
  User azureuser
  Port 2200
  IdentityFile ~/.ssh/azure_key
  ProxyJump bastion

Host bastion
  HostName bastion.example.org
  User jump
  IdentityFile %d/.ssh/jump_key

Host two-hops
  HostName inner.example.org
  ProxyJump ops@edge.example.org:2022,bastion

Host *.example.org
  User defaultuser

Host evil
  ProxyCommand nc %h %p

Match exec "touch /tmp/isolab-must-not-exist"
  User pwned
`;

describe('targets typed by the user', () => {
  it('reads user@host:port, host, and bracketed IPv6', () => {
    expect(parseTarget('ops@vm1.example.org:2222')).toEqual({ user: 'ops', host: 'vm1.example.org', port: 2222 });
    expect(parseTarget('vm1')).toEqual({ user: undefined, host: 'vm1', port: undefined });
    expect(parseTarget('root@[::1]:22')).toEqual({ user: 'root', host: '::1', port: 22 });
  });

  it('refuses what could be an option or a shell fragment, with a line that says why', () => {
    expect(() => parseTarget('-oProxyCommand=x')).toThrow(/not a valid host name/);
    expect(() => parseTarget('vm;rm -rf /')).toThrow(/not a valid host name/);
    expect(() => parseTarget('a b@vm')).toThrow(/not a valid user name/);
    expect(() => parseTarget('vm:99999')).toThrow(/out of range/);
    expect(() => parseTarget('::1')).toThrow(/IPv6 addresses in brackets/);
    expect(() => parseTarget('')).toThrow(/no host given/);
  });
});

describe('~/.ssh/config resolution', () => {
  const opts = { configText: CONFIG, home: '/home/me', localUser: 'me' };

  it('an alias brings HostName, User, Port, IdentityFile and ProxyJump', async () => {
    const s = await resolveHost('azure-vm', opts);
    expect(s).toMatchObject({ name: 'azure-vm', host: '10.1.2.3', user: 'azureuser', port: 2200, identityFiles: ['/home/me/.ssh/azure_key'], fromConfig: true });
    expect(s.jumps.map((j) => `${j.user}@${j.host}:${j.port}`)).toEqual(['jump@bastion.example.org:22']);
    expect(s.jumps[0].identityFiles).toEqual(['/home/me/.ssh/jump_key']);
  });

  it('what the user typed wins over the config; flags win over both', async () => {
    const s = await resolveHost('root@azure-vm:2201', opts);
    expect(s).toMatchObject({ user: 'root', port: 2201 });
    const f = await resolveHost('azure-vm', { ...opts, port: 2202, identityFile: '/keys/k' });
    expect(f).toMatchObject({ port: 2202, identityFiles: ['/keys/k'] });
  });

  it('a plain host uses wildcard sections and defaults', async () => {
    const s = await resolveHost('vm9.example.org', opts);
    expect(s).toMatchObject({ host: 'vm9.example.org', user: 'defaultuser', port: 22, identityFiles: [], jumps: [], fromConfig: false });
    const t = await resolveHost('10.0.0.5', opts);
    expect(t.user).toBe('me');
  });

  it('chains ProxyJump hops in order, each resolved on its own', async () => {
    const s = await resolveHost('two-hops', opts);
    expect(s.jumps.map((j) => `${j.user}@${j.host}:${j.port}`)).toEqual(['ops@edge.example.org:2022', 'jump@bastion.example.org:22']);
  });

  it('never runs Match exec, and refuses ProxyCommand with a way out', async () => {
    const s = await resolveHost('plain-host', opts);
    expect(s.user).toBe('me');
    expect(existsSync('/tmp/isolab-must-not-exist')).toBe(false);
    await expect(resolveHost('evil', opts)).rejects.toThrow(/ProxyCommand.*use ProxyJump/);
  });

  it('lists the aliases (no patterns) for the Hosts page', () => {
    expect(configAliases(CONFIG)).toEqual(['azure-vm', 'bastion', 'two-hops', 'evil']);
  });
});

describe('host key options from ~/.ssh/config', () => {
  const config = `
Host aliased
  HostName 10.9.8.7
  Port 2222
  User ops
  HostKeyAlias lab-gateway
  UserKnownHostsFile ~/.ssh/kh_%k %d/.ssh/kh_%h_%p_%r_%n_%u
  GlobalKnownHostsFile /etc/isolab/known_hosts

Host nofile
  UserKnownHostsFile none

Host relative
  UserKnownHostsFile known_hosts_here

Host hashed-name
  UserKnownHostsFile ~/.ssh/kh_%C

Host cmd
  KnownHostsCommand /usr/local/bin/keys %H
`;
  const opts = { configText: config, home: '/home/me', localUser: 'me' };

  it('defaults to OpenSSH\'s files and the [host]:port name', async () => {
    const s = await resolveHost('plain.example.org', opts);
    expect(s.hostKeys).toEqual({ alias: undefined, userFiles: ['/home/me/.ssh/known_hosts', '/home/me/.ssh/known_hosts2'], globalFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'] });
  });

  it('honours HostKeyAlias, UserKnownHostsFile with its tokens, and GlobalKnownHostsFile', async () => {
    const s = await resolveHost('aliased', opts);
    expect(s.hostKeys).toEqual({
      alias: 'lab-gateway',
      userFiles: ['/home/me/.ssh/kh_lab-gateway', '/home/me/.ssh/kh_10.9.8.7_2222_ops_aliased_me'],
      globalFiles: ['/etc/isolab/known_hosts'],
    });
    expect((await resolveHost('nofile', opts)).hostKeys.userFiles).toEqual([]);
  });

  it('refuses what it cannot honour, naming the option', async () => {
    await expect(resolveHost('relative', opts)).rejects.toThrow(/UserKnownHostsFile known_hosts_here .* relative path/);
    await expect(resolveHost('hashed-name', opts)).rejects.toThrow(/UserKnownHostsFile .*%C/);
    await expect(resolveHost('cmd', opts)).rejects.toThrow(/KnownHostsCommand .* does not run/);
  });
});
