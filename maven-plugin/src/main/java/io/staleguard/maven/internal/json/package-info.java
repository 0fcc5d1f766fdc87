/**
 * Report file I/O: format-checked reads with one-line errors naming the file, atomic writes, and removal of
 * the directories a goal owns. Imports {@code model}.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.maven.internal.json;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
