import { describe, expect, it } from 'vitest';
import { judgeAddress, parseIPv6, urlProblem } from './address-policy';

const strict = { requireHttps: true, allowPrivate: false };

describe('judgeAddress (SSRF)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00::1', 'unique local'],
    ['fc12:3456::1', 'unique local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['2001:db8::1', 'documentation'],
  ])('refuses %s (%s)', (address, kind) => {
    const verdict = judgeAddress(address);
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed === false && verdict.reason).toContain(kind);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450::1'])(
    'allows the public address %s',
    (address) => expect(judgeAddress(address)).toEqual({ allowed: true }),
  );

  it('refuses what is not an address', () => {
    expect(judgeAddress('example.com').allowed).toBe(false);
    expect(judgeAddress('1.2.3').allowed).toBe(false);
    expect(judgeAddress('01.2.3.4').allowed).toBe(false);
  });

  it('reads IPv6 in every spelling', () => {
    expect(parseIPv6('2001:db8::8:800:200c:417a')).toEqual([0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a]);
    expect(parseIPv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6('[::1]')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('1::2::3')).toBeNull();
  });
});

describe('urlProblem', () => {
  it('asks for https in production and refuses credentials', () => {
    expect(urlProblem('http://hooks.example.com/x', strict)).toContain('https');
    expect(urlProblem('https://hooks.example.com/x', strict)).toBeNull();
    expect(urlProblem('https://user:pw@hooks.example.com/x', strict)).toContain('password');
    expect(urlProblem('ftp://hooks.example.com/x', strict)).toContain('https');
    expect(urlProblem('not a url', strict)).toContain('not a URL');
  });

  it('refuses loopback, private and localhost targets unless the development setting allows them', () => {
    expect(urlProblem('https://127.0.0.1/x', strict)).toContain('loopback');
    expect(urlProblem('https://[::ffff:127.0.0.1]/x', strict)).toContain('loopback');
    expect(urlProblem('https://[fe80::1]/x', strict)).toContain('link-local');
    expect(urlProblem('https://localhost/x', strict)).toContain('localhost');
    expect(urlProblem('https://hooks.localhost/x', strict)).toContain('loopback name');
    expect(urlProblem('https://169.254.169.254/latest/meta-data', strict)).toContain('link-local');
    expect(urlProblem('http://127.0.0.1:8080/x', { requireHttps: false, allowPrivate: true })).toBeNull();
  });
});
