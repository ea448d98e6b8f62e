import { describe, expect, it } from 'vitest';
import { candidateEndpoints, connectDocker, DockerUnavailableError } from '../../electron/lab/docker/engine';

describe('finding the Docker engine', () => {
  it('uses DOCKER_HOST alone when it is set', () => {
    expect(candidateEndpoints({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, 'linux').map((e) => e.label)).toEqual(['DOCKER_HOST=tcp://127.0.0.1:2375']);
  });
  it('tries the system socket, Docker Desktop and rootless sockets on Unix, the named pipes on Windows', () => {
    const unix = candidateEndpoints({ XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux').map((e) => e.label);
    expect(unix[0]).toBe('unix:///var/run/docker.sock');
    expect(unix.some((l) => l.endsWith('/.docker/run/docker.sock'))).toBe(true);
    expect(unix).toContain('unix:///run/user/1000/docker.sock');
    expect(candidateEndpoints({}, 'win32').map((e) => e.label)).toEqual(['npipe://./pipe/docker_engine', 'npipe://./pipe/dockerDesktopLinuxEngine']);
  });
  it('says what it tried and how to fix it when no engine answers', async () => {
    const err = await connectDocker({
      endpoints: [
        { label: 'unix:///nonexistent/docker.sock', options: { socketPath: '/nonexistent/docker.sock' } },
        // A closed loopback port: refused at once.
        { label: 'tcp://127.0.0.1:1', options: { host: '127.0.0.1', port: 1, protocol: 'http' } },
      ],
      timeoutMs: 2000,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DockerUnavailableError);
    expect(err.message).toMatch(/unix:\/\/\/nonexistent\/docker.sock \(no such socket\)/);
    expect(err.message).toMatch(/tcp:\/\/127.0.0.1:1 \(connection refused\)/);
    expect(err.message).toMatch(/DOCKER_HOST/);
    expect(err.message).toMatch(/systemctl start docker/);
  });
});
