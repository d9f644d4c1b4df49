/**
 * Jackson's JSON mappers, one configured and shared instance per purpose ({@link dev.drawbridge.json.Mappers}):
 * JSON of HTTP APIs with a nesting limit, Kubernetes objects and decision records, canonical (sorted) JSON for
 * hashes, and indented JSON for reports. Depends on nothing internal; every package may use it.
 */
package dev.drawbridge.json;
