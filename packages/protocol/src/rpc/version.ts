/**
 * Application protocol version checks (WIRE_PROTOCOL.md §13 "Protocol version
 * negotiation"): canonical semver, exact major+minor match, patch ignored.
 */
import { ProtocolVersionError } from "../errors.js";

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export type SemVer = readonly [major: number, minor: number, patch: number];

export function parseSemVer(value: string): SemVer | null {
  const match = SEMVER.exec(value);
  return match === null ? null : [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Throws a `ProtocolVersionError` unless `clientVersion` is compatible with
 * `serverVersion`. The message names both versions and the side to upgrade.
 */
export function checkProtocolVersion(
  clientVersion: string | undefined,
  serverVersion: string,
): void {
  const server = parseSemVer(serverVersion);
  if (server === null)
    throw new Error(`server protocol version '${serverVersion}' is not canonical semver`);
  if (clientVersion === undefined) {
    throw new ProtocolVersionError(
      `Request carries no vgi_rpc.protocol_version; this worker speaks VGI protocol ${serverVersion}. ` +
        `Upgrade the client to one that speaks ${server[0]}.${server[1]}.x.`,
    );
  }
  const client = parseSemVer(clientVersion);
  if (client === null) {
    throw new ProtocolVersionError(
      `Request protocol version '${clientVersion}' is not canonical MAJOR.MINOR.PATCH; ` +
        `this worker speaks VGI protocol ${serverVersion}.`,
    );
  }
  if (client[0] === server[0] && client[1] === server[1]) return;
  const newer = client[0] > server[0] || (client[0] === server[0] && client[1] > server[1]);
  throw new ProtocolVersionError(
    `VGI client/worker protocol_version mismatch: client speaks ${clientVersion}, worker speaks ${serverVersion}. ` +
      (newer ? "Upgrade the worker." : "Upgrade the client (the DuckDB vgi extension)."),
  );
}
