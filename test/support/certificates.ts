import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files in a fresh directory, made with `openssl` (P-256 keys, valid for two days). */
export type TestCertificates = {
  dir: string;
  /** The CA that signed the server and client certificates. */
  ca: string;
  /** A CA that signed nothing of this set (and `otherClient`). */
  otherCa: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  /** A client certificate signed by `otherCa`, which the server does not accept. */
  otherClient: { cert: string; key: string };
  /** The DNS name the server certificate holds besides localhost and 127.0.0.1. */
  serverName: string;
};

function openssl(dir: string, args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** `-newkey` with a P-256 key, written unencrypted to `<name>.key`. */
const newP256Key = (name: string) => [
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
  '-nodes',
  '-keyout',
  `${name}.key`,
];

function makeCa(dir: string, name: string): string {
  openssl(dir, [
    'req',
    '-x509',
    ...newP256Key(name),
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return join(dir, `${name}.pem`);
}

function makeLeaf(dir: string, name: string, ca: string, altNames: string, usage: string) {
  openssl(dir, ['req', ...newP256Key(name), '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(
    join(dir, `${name}.ext`),
    `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${usage}\n`,
  );
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-certs-'));
  const serverName = 'temporal.outbound.test';
  const ca = makeCa(dir, 'ca');
  const otherCa = makeCa(dir, 'other-ca');
  return {
    dir,
    ca,
    otherCa,
    server: makeLeaf(dir, 'server', 'ca', `DNS:${serverName},DNS:localhost,IP:127.0.0.1`, 'serverAuth'),
    client: makeLeaf(dir, 'outbound-worker', 'ca', 'DNS:outbound-worker', 'clientAuth'),
    otherClient: makeLeaf(dir, 'stranger', 'other-ca', 'DNS:stranger', 'clientAuth'),
    serverName,
  };
}
