/*
 * table.h - reading rule files into logical lines.
 *
 * A table is read whole into memory; its logical lines are then produced
 * one at a time exactly as Debian's reader forms them: a backslash before
 * a newline joins the next physical line with no separator, a NUL byte
 * cuts its physical line and the next one is appended at that point, and
 * the line number counts the newlines the reader has seen.  Unlike
 * Debian there is no length limit (compat-policy D1), and a final line
 * without a newline is returned, flagged as unterminated (D2).
 *
 * DIAGNOSTICS: none; every failure is returned with its errno (see enum
 * table_status) and logged by the caller.
 */
#ifndef LIBWRAP_TABLE_H
#define LIBWRAP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "strbuf.h"

/* Zero bytes after the end of every table's data, so that scanners may
 * read a machine word at a time. */
#define TABLE_PADDING 16

/* The contents of one rule file. */
struct table_text {
    char *data;      /* file bytes, then TABLE_PADDING NULs; not NULL */
    size_t size;     /* bytes in data, without the terminator */
    bool has_nul;    /* data holds a NUL byte before its end */
    bool any_reader; /* any process may read it: owner, group and others
                        have read permission, and there is no ACL */
    struct stat st;  /* identity of the file that was read */
};

/*
 * What became of an attempt to read a file.  UNREADABLE is Debian's
 * "cannot open": a table that counts as an error (hosts.allow falls
 * through to hosts.deny, hosts.deny denies), a /file list that does not
 * match.  ERROR says nothing about the file: this process ran out of
 * descriptors or memory, or the file could be opened but not read (too
 * big, a FIFO with nothing to say, an I/O error); the decision denies.
 */
enum table_status {
    TABLE_OK,         /* read */
    TABLE_MISSING,    /* ENOENT: an empty table, silently */
    TABLE_UNREADABLE, /* open() refused it; errno says why */
    TABLE_ERROR,      /* could not be read; errno says why */
};

/* Seconds a file must be older than its read before stat() can vouch
 * for its contents (cache.h). */
#define TABLE_RACY_SECONDS 3

/* True when a change made at now could leave the file's times as st
 * shows them: its last change is at most TABLE_RACY_SECONDS before now
 * (a second change within the same timestamp tick would not show). */
bool table_is_racy(const struct stat *st, const struct timespec *now);

/* The status of an open() or stat() of a table that failed with err. */
enum table_status table_open_status(int err);

/* Reads path whole (a directory reads as empty). */
enum table_status table_read(const char *path, struct table_text *out);
void table_text_free(struct table_text *t);

/* A file read piece by piece, each piece ending after a whole logical
 * line (the last one at the end of the file). */
struct table_stream {
    int fd;
    struct strbuf buf; /* what was read and not yet handed out */
    size_t given;      /* bytes of buf handed out in the last piece */
    bool eof;
    bool any_reader; /* as table_text's, when asked for; else false */
    struct stat st;  /* the file's identity, from fstat() */
};

/* Opens path for table_stream_next().  any_reader is learnt only when
 * check_readers is true: it costs a system call (an ACL lookup), and only
 * a ruleset kept for later decisions needs it. */
enum table_status table_stream_open(const char *path, struct table_stream *ts,
                                    bool check_readers);
/*
 * The next piece, with TABLE_PADDING readable bytes after it; false at
 * the end of the file, or when reading fails: *error is then the errno
 * (0 at the end).  Debian's reader takes a read error for the end of the
 * table; here it is an error, as in table_read().  A file with a NUL
 * byte is handed out whole, in one piece.
 */
bool table_stream_next(struct table_stream *ts, struct table_text *piece,
                       int *error);
void table_stream_close(struct table_stream *ts);
/* Starts the stream of a regular file again from its beginning; false
 * when it cannot (a file read whole at open, or lseek() failed). */
bool table_stream_rewind(struct table_stream *ts);

/* Walks the logical lines of a buffer. */
struct line_iter {
    const char *p, *end;
    bool has_nul; /* the buffer holds a NUL byte somewhere */
    int newlines; /* newlines seen so far: Debian's line number */
};

/* One logical line. */
struct logical_line {
    const char *text;  /* into the buffer or into the scratch strbuf */
    size_t len;        /* includes the final '\n' when there is one */
    int lineno;        /* line number to report */
    bool unterminated; /* the file ended without a newline (D2) */
};

void line_iter_init(struct line_iter *it, const struct table_text *t);
/* Starts at a logical line found before (offset, newlines before it). */
void line_iter_at(struct line_iter *it, const struct table_text *t,
                  size_t offset, int newlines);
/*
 * Produces the next logical line; scratch holds joined lines, with
 * TABLE_PADDING zero bytes after them as a table's text has.  Returns
 * false at the end, or when scratch could not grow (sb_failed(scratch)).
 */
bool line_iter_next(struct line_iter *it, struct strbuf *scratch,
                    struct logical_line *out);

#endif
