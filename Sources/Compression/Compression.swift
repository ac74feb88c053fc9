// The Compression module: reading gzip/deflate data (DEFLATE, RFC 1951; gzip, RFC 1952) and streaming text
// lines from plain or gzip-compressed files. Written for this project; no system zlib needed.
