/**
 * Routing and version gate (WIRE_PROTOCOL.md §13; Query-farm/vgi docs/protocol_routing.md):
 * a request names its protocol in `vgi_rpc.protocol`, must match that protocol's
 * major.minor, and must name a method it hosts. Synthetic methods (`__describe__`,
 * `__transport_options__`) are exempt from both.
 */
import {
  DESCRIBE_METHOD,
  ErrorKind,
  MethodNotImplementedError,
  TRANSPORT_OPTIONS_METHOD,
  VgiError,
  checkProtocolVersion,
  type RpcRequest,
} from "@vgi-ts/protocol";
import type { HostedProtocol, RpcMethod } from "./method.js";

export const SYNTHETIC_METHODS: ReadonlySet<string> = new Set([
  DESCRIBE_METHOD,
  TRANSPORT_OPTIONS_METHOD,
]);

export class Router {
  private readonly byName: ReadonlyMap<string, HostedProtocol>;

  constructor(readonly protocols: readonly HostedProtocol[]) {
    if (protocols.length === 0) throw new Error("a worker must host at least one protocol");
    this.byName = new Map(protocols.map((p) => [p.name, p]));
  }

  resolve(request: RpcRequest): { protocol: HostedProtocol; method: RpcMethod } {
    const hosted = [...this.byName.keys()];
    if (request.protocol === undefined) {
      throw new VgiError(
        ErrorKind.ProtocolNotSpecified,
        `Request for ${request.method} carries no 'vgi_rpc.protocol' routing key. ` +
          `This worker hosts: [${hosted.join(", ")}].`,
      );
    }
    const protocol = this.byName.get(request.protocol);
    if (protocol === undefined) {
      throw new VgiError(
        ErrorKind.ProtocolNotSupported,
        `This worker does not host protocol '${request.protocol}'. Hosted: [${hosted.join(", ")}].`,
      );
    }
    checkProtocolVersion(request.protocolVersion, protocol.version);
    const method = protocol.methods.get(request.method);
    if (method === undefined) {
      throw new MethodNotImplementedError(
        `Protocol ${protocol.name} has no method '${request.method}'.`,
      );
    }
    return { protocol, method };
  }
}
