/**
 * Message-size limits shared by server and client. Both sides state them explicitly so a
 * grpc-js default change cannot silently move them, and so a too-large message fails with
 * RESOURCE_EXHAUSTED on whichever side sees it first instead of wedging a stream.
 */
import type { ChannelOptions } from '@grpc/grpc-js';

/** Largest message either side sends or accepts. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Size of the pieces the client streams in PutLeaf (well below the limit). */
export const PUT_PIECE_BYTES = 1024 * 1024;

/** Largest piece the server sends in one Get message (a chunk, split if chunks are bigger). */
export const GET_PIECE_BYTES = 4 * 1024 * 1024;

/** Channel options carrying the limits; used for `new grpc.Server` and for clients. */
export const messageLimits: ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
};

/**
 * The client's HTTP/2 receive window. Node's default of 64 KiB lets a server send only that
 * much before it waits a round trip for the client to open the window again: a Get of a large
 * value crawled at ~250 MB/s over the local socket.
 */
const CLIENT_FLOW_CONTROL_WINDOW = 8 * 1024 * 1024;

/** Options for client channels: the message limits and the receive window. */
export const clientOptions: ChannelOptions = {
  ...messageLimits,
  'grpc-node.flow_control_window': CLIENT_FLOW_CONTROL_WINDOW,
};
