/*
 * models/scenario/extends.h - "extends": a scenario file written as a patch
 * of another (internal to models/scenario/; the format: scenarios/README.md,
 * "Overlays").
 *
 * A top level with "extends": "PATH" is merged onto the scenario at PATH
 * (relative to the file's directory), itself resolved first, with JSON
 * merge-patch semantics (RFC 7386) and lists of named objects merged by
 * name (extends.c says how).  The result is one tree in which every node
 * keeps the file, line and column it came from (json_int.h: gp_json_adopt),
 * so a later error about a value names the file that holds it.
 */
#ifndef GP_EXTENDS_H
#define GP_EXTENDS_H

#include "models/scenario/json.h"

#define GP_EXTENDS_MAX_FILES 16 /* files in one chain, the first included */

/* Resolve DOC's "extends" chain in place: DOC's tree becomes the resolved
 * scenario, without "extends".  DOC's name is the path of its file, which
 * "extends" is relative to.  FROM_FILE = 0 (a text with no file: the fuzzer,
 * a built-in scenario) refuses "extends" with an error at it, so that no
 * text read from memory makes the loader open files.  0, or -1 with ERR
 * set (65 at the bad value, in whichever file holds it; 66 when a base
 * cannot be read, located at the "extends" that names it). */
int gp_extends_resolve(gp_json *doc, int from_file, gp_err *err);

#endif /* GP_EXTENDS_H */
