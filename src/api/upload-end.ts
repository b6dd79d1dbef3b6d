/**
 * How a PutLeaf upload says "complete". A plain half-close cannot: when a grpc-js client
 * cancels a client stream, Node's HTTP/2 sends END_STREAM before RST_STREAM, so the server
 * sees a clean end of input and only then the cancel (grpc/grpc-node#2583). A cancelled upload
 * would look finished and a truncated leaf would be stored for good.
 *
 * So a client that sends `deriva-upload-end: empty-message` in its request metadata promises
 * to end a complete upload with one empty message; the server stores the leaf only if the last
 * message it read was empty. Without the header (a generic gRPC tool), half-close commits as
 * gRPC ordinarily means. The proto's shapes stay as they are; a `finish` field in
 * PutLeafRequest (as in Google's ByteStream `finish_write`) would say the same thing in-band.
 */

export const UPLOAD_END_KEY = 'deriva-upload-end';
export const UPLOAD_END_EMPTY_MESSAGE = 'empty-message';
