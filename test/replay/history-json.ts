import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils.js';

/**
 * History ⇄ proto JSON (the form `temporal workflow show --output json` writes and
 * `Worker.runReplayHistories` reads), as @temporalio/common's historyToJSON/historyFromJSON do it.
 *
 * Why not those two: in this install @temporalio/common and @temporalio/proto each have their own copy
 * of protobufjs 8 (the top-level one is 7), and the SDK's functions hand proto's message types to
 * common's copy of protojson, which refuses them ("type must be a Type"). The same functions, run with
 * the protobufjs copy @temporalio/proto itself uses, work.
 */
const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const { fromJson, toJson } = requireFromProto('protobufjs/ext/protojson') as {
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
  toJson(type: unknown, message: unknown): unknown;
};
const proto = requireFromProto('@temporalio/proto');
const { patchProtobufRoot } = requireFromProto('@temporalio/proto/lib/patch-protobuf-root');
const historyType = patchProtobufRoot(proto).lookupType('temporal.api.history.v1.History');

export function historyToJSON(history: History): string {
  return JSON.stringify(
    toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)),
    null,
    2,
  );
}

export function historyFromJSON(json: unknown): History {
  return fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}
