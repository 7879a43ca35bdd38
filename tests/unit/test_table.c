/*
 * test_table.c - rule files into logical lines (table.h).
 *
 * The logical-line reader is checked against a model of its contract
 * (Debian's reader, behaviour page 1.4 and 1.9, without its length limit
 * and with the unterminated last line of D1 and D2) over every text of
 * up to eight bytes of 'a', backslash, newline, NUL and CR, and by rows
 * for the cases with names.  Then: the statuses and errno of table_read()
 * for missing, unreadable, special and odd files; the racy-file rule;
 * streams whose pieces end at logical lines and give the same lines as
 * the whole file; and the exported xgets().
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "table.h"

/* The logical lines of a text, each "<lineno>[u]:<text>" on its own
 * ("u": unterminated), with the bytes escaped: \n, \\, \0 and \r. */
static void describe(struct strbuf *out, const char *text, size_t len,
                     int lineno, bool unterminated)
{
    size_t i;

    sb_printf(out, "%d%s:", lineno, unterminated ? "u" : "");
    for (i = 0; i < len; i++) {
        switch (text[i]) {
        case '\n':
            sb_puts(out, "\\n");
            break;
        case '\\':
            sb_puts(out, "\\\\");
            break;
        case '\0':
            sb_puts(out, "\\0");
            break;
        case '\r':
            sb_puts(out, "\\r");
            break;
        default:
            sb_putc(out, text[i]);
        }
    }
    sb_putc(out, ' ');
}

/* The library's reading of a text. */
static void read_lines(struct strbuf *out, const char *bytes, size_t n)
{
    struct table_text t = tl_text(bytes, n);
    struct strbuf scratch = STRBUF_INIT;
    struct logical_line line;
    struct line_iter it;

    sb_reset(out);
    line_iter_init(&it, &t);
    while (line_iter_next(&it, &scratch, &line)) {
        bool joined = line.text < t.data || line.text >= t.data + t.size;
        size_t k;

        describe(out, line.text, line.len, line.lineno, line.unterminated);
        /* A joined line has the padding of a table's text after it. */
        for (k = 0; joined && k < TABLE_PADDING; k++)
            if (line.text[line.len + k] != '\0')
                fail_msg("no padding after a joined line");
    }
    assert_false(sb_failed(&scratch));
    sb_free(&scratch);
    table_text_free(&t);
}

/*
 * The contract, directly: physical lines end at a newline; a NUL cuts
 * its physical line, which is then continued by the next one (and its
 * newline is not counted); backslash-newline joins with no separator;
 * a last line without newline is a line (a trailing backslash dropped),
 * numbered as the line it is on.
 */
static void model_lines(struct strbuf *out, const char *p, size_t n)
{
    struct strbuf acc = STRBUF_INIT;
    size_t pos = 0;
    int newlines = 0;
    bool joined = false;

    sb_reset(out);
    while (pos < n) {
        const char *nl = memchr(p + pos, '\n', n - pos);
        size_t stop = nl != NULL ? (size_t)(nl - p) + 1 : n;
        size_t len = stop - pos;
        const char *nul = memchr(p + pos, '\0', len);
        const char *phys = p + pos;

        pos = stop;
        if (nul != NULL) {
            sb_append(&acc, phys, (size_t)(nul - phys));
            joined = true;
            continue;
        }
        if (nl == NULL) {
            if (len > 0 && phys[len - 1] == '\\')
                len--;
            if (!joined && len == 0)
                break;
            sb_append(&acc, phys, len);
            describe(out, sb_str(&acc), acc.len, newlines + 1, true);
            joined = false;
            sb_reset(&acc);
            break;
        }
        newlines++;
        if (len >= 2 && phys[len - 2] == '\\') {
            sb_append(&acc, phys, len - 2);
            joined = true;
            continue;
        }
        sb_append(&acc, phys, len);
        describe(out, sb_str(&acc), acc.len, newlines, false);
        sb_reset(&acc);
        joined = false;
    }
    if (joined && acc.len > 0)
        describe(out, sb_str(&acc), acc.len, newlines + 1, true);
    sb_free(&acc);
}

#define BYTES(s) .text = s, .n = sizeof(s) - 1

static const struct lines_case {
    const char *name;
    const char *text;
    size_t n;
    const char *lines; /* as describe() writes them */
} line_cases[] = {
    {.name = "empty", BYTES(""), .lines = ""},
    {.name = "one line", BYTES("a\n"), .lines = "1:a\\n "},
    {.name = "two lines", BYTES("a\nb\n"), .lines = "1:a\\n 2:b\\n "},
    {.name = "blank lines are lines", BYTES("\n\n"), .lines = "1:\\n 2:\\n "},
    /* 1.4: backslash-newline joins with no separator, and the line is
     * numbered by its last physical line. */
    {.name = "continuation", BYTES("a\\\nb\n"), .lines = "2:ab\\n "},
    {.name = "two continuations",
     BYTES("a\\\nb\\\nc\nd\n"),
     .lines = "3:abc\\n 4:d\\n "},
    {.name = "continued blank", BYTES("\\\n\n"), .lines = "2:\\n "},
    {.name = "backslash CR LF is no continuation",
     BYTES("a\\\r\nb\n"),
     .lines = "1:a\\\\\\r\\n 2:b\\n "},
    {.name = "double backslash still continues",
     BYTES("a\\\\\nb\n"),
     .lines = "2:a\\\\b\\n "},
    {.name = "backslash inside", BYTES("a\\b\n"), .lines = "1:a\\\\b\\n "},
    /* D2: a last line without newline is a line, flagged. */
    {.name = "unterminated", BYTES("a"), .lines = "1u:a "},
    {.name = "unterminated second", BYTES("a\nb"), .lines = "1:a\\n 2u:b "},
    {.name = "trailing backslash at the end", BYTES("a\\"), .lines = "1u:a "},
    {.name = "a lone backslash at the end",
     BYTES("a\n\\"),
     .lines = "1:a\\n "},
    {.name = "continued into the end", BYTES("a\\\n"), .lines = "2u:a "},
    {.name = "continued into an unterminated line",
     BYTES("a\\\nb"),
     .lines = "2u:ab "},
    /* 1.9: a NUL cuts its line; the next one is appended there, and
     * the newline after the NUL is not seen. */
    {.name = "NUL joins", BYTES("a\0junk\nb\n"), .lines = "1:ab\\n "},
    {.name = "NUL at the start", BYTES("\0\nb\n"), .lines = "1:b\\n "},
    {.name = "two NULs", BYTES("a\0x\nb\0y\nc\n"), .lines = "1:abc\\n "},
    {.name = "NUL then continuation",
     BYTES("a\0x\nb\\\nc\n"),
     .lines = "2:abc\\n "},
    {.name = "NUL in the last line",
     BYTES("a\nb\0c"),
     .lines = "1:a\\n 2u:b "},
    {.name = "only NULs", BYTES("\0\0\0\n\0"), .lines = ""},
    {.name = "CR is text", BYTES("a\r\n"), .lines = "1:a\\r\\n "},
};

static void test_line_cases(void **state)
{
    struct strbuf got = STRBUF_INIT, model = STRBUF_INIT;
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(line_cases); i++) {
        const struct lines_case *c = &line_cases[i];

        read_lines(&got, c->text, c->n);
        model_lines(&model, c->text, c->n);
        if (strcmp(sb_str(&got), c->lines) != 0 ||
            strcmp(sb_str(&model), c->lines) != 0) {
            print_error("%s: read \"%s\", model \"%s\", want \"%s\"\n",
                        c->name, sb_str(&got), sb_str(&model), c->lines);
            failures++;
        }
    }
    sb_free(&got);
    sb_free(&model);
    assert_int_equal(failures, 0);
}

/* Every text of up to eight bytes of 'a', '\\', '\n', '\0' and '\r'. */
static void test_lines_exhaustive(void **state)
{
    static const char alphabet[] = {'a', '\\', '\n', '\0', '\r'};
    struct strbuf got = STRBUF_INIT, model = STRBUF_INIT;
    char text[16];
    size_t len, n, i, total = 0;
    int failures = 0;

    (void)state;
    for (len = 0; len <= 8; len++) {
        size_t combos = 1;
        for (i = 0; i < len; i++)
            combos *= sizeof(alphabet);
        for (n = 0; n < combos; n++) {
            size_t x = n;
            for (i = 0; i < len; i++, x /= sizeof(alphabet))
                text[i] = alphabet[x % sizeof(alphabet)];
            read_lines(&got, text, len);
            model_lines(&model, text, len);
            total++;
            if (strcmp(sb_str(&got), sb_str(&model)) != 0 && failures++ < 10)
                print_error("text %zu of length %zu: read \"%s\", model "
                            "\"%s\"\n",
                            n, len, sb_str(&got), sb_str(&model));
        }
    }
    print_message("logical lines: %zu texts against the model\n", total);
    sb_free(&got);
    sb_free(&model);
    assert_int_equal(failures, 0);
}

/* line_iter_at() resumes at a line found before, with its count. */
static void test_iter_at(void **state)
{
    static const char text[] = "a\nb\\\nc\nd\n";
    struct table_text t = tl_text(text, sizeof(text) - 1);
    struct strbuf scratch = STRBUF_INIT;
    struct logical_line line;
    struct line_iter it;

    (void)state;
    line_iter_at(&it, &t, 2, 1);
    assert_true(line_iter_next(&it, &scratch, &line));
    assert_int_equal(line.lineno, 3);
    assert_int_equal(line.len, 3);
    assert_memory_equal(line.text, "bc\n", 3);
    assert_true(line_iter_next(&it, &scratch, &line));
    assert_int_equal(line.lineno, 4);
    assert_false(line_iter_next(&it, &scratch, &line));
    sb_free(&scratch);
    table_text_free(&t);
}

/* ---- reading files ---- */

static const struct status_case {
    int err;
    enum table_status status;
} statuses[] = {
    {.err = ENOENT, .status = TABLE_MISSING},
    {.err = EMFILE, .status = TABLE_ERROR},
    {.err = ENFILE, .status = TABLE_ERROR},
    {.err = ENOMEM, .status = TABLE_ERROR},
    {.err = EACCES, .status = TABLE_UNREADABLE},
    {.err = ENOTDIR, .status = TABLE_UNREADABLE},
    {.err = ELOOP, .status = TABLE_UNREADABLE},
    {.err = EFAULT, .status = TABLE_UNREADABLE},
    {.err = ENAMETOOLONG, .status = TABLE_UNREADABLE},
    {.err = EIO, .status = TABLE_UNREADABLE},
};

static void test_open_status(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(statuses); i++)
        if (table_open_status(statuses[i].err) != statuses[i].status)
            fail_msg("errno %d: status %d, want %d", statuses[i].err,
                     table_open_status(statuses[i].err), statuses[i].status);
}

/* The files of the read cases; built in the test directory. */
enum file_kind {
    REGULAR,
    DIRECTORY,
    THROUGH_FILE,
    DEV_NULL,
    DEV_ZERO,
    FIFO_NO_WRITER,
    FIFO_SILENT_WRITER,
    MISSING
};

static const struct read_case {
    const char *name;
    enum file_kind kind;
    const char *content;
    size_t n;
    int mode;
    enum table_status status;
    int err;         /* errno when not TABLE_OK */
    bool any_reader; /* when TABLE_OK */
} reads[] = {
    {.name = "a table",
     .kind = REGULAR,
     .content = "sshd: ALL\n",
     .n = 10,
     .mode = 0644,
     .any_reader = true},
    {.name = "an empty table",
     .kind = REGULAR,
     .content = "",
     .mode = 0644,
     .any_reader = true},
    {.name = "a table with NUL",
     .kind = REGULAR,
     .content = "a\0b\n",
     .n = 4,
     .mode = 0644,
     .any_reader = true},
    {.name = "readable by its owner only",
     .kind = REGULAR,
     .content = "x\n",
     .n = 2,
     .mode = 0600},
    {.name = "not readable by others",
     .kind = REGULAR,
     .content = "x\n",
     .n = 2,
     .mode = 0640},
    {.name = "read-only for all",
     .kind = REGULAR,
     .content = "x\n",
     .n = 2,
     .mode = 0444,
     .any_reader = true},
    {.name = "missing",
     .kind = MISSING,
     .status = TABLE_MISSING,
     .err = ENOENT},
    {.name = "a directory reads as empty",
     .kind = DIRECTORY,
     .any_reader = true},
    {.name = "a path through a file",
     .kind = THROUGH_FILE,
     .status = TABLE_UNREADABLE,
     .err = ENOTDIR},
    {.name = "/dev/null", .kind = DEV_NULL, .any_reader = true},
    {.name = "/dev/zero is too big",
     .kind = DEV_ZERO,
     .status = TABLE_ERROR,
     .err = EFBIG},
    {.name = "a FIFO without writer is empty",
     .kind = FIFO_NO_WRITER,
     .mode = 0644,
     .any_reader = true},
    {.name = "a FIFO whose writer is silent",
     .kind = FIFO_SILENT_WRITER,
     .mode = 0644,
     .status = TABLE_ERROR,
     .err = EAGAIN},
};

static void test_read(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(reads); i++) {
        const struct read_case *c = &reads[i];
        struct table_text t;
        enum table_status got;
        const char *path = NULL;
        char name[16], through[600];
        int writer = -1, err;
        struct stat st;

        snprintf(name, sizeof(name), "t%zu", i);
        switch (c->kind) {
        case REGULAR:
            path = tl_write_bytes(name, c->content, c->n);
            assert_int_equal(chmod(path, (mode_t)c->mode), 0);
            break;
        case DIRECTORY:
            path = tl_path(name);
            assert_int_equal(mkdir(path, 0755), 0);
            break;
        case THROUGH_FILE:
            snprintf(through, sizeof(through), "%s/x", tl_write(name, ""));
            path = through;
            break;
        case DEV_NULL:
            path = "/dev/null";
            break;
        case DEV_ZERO:
            path = "/dev/zero";
            break;
        case FIFO_NO_WRITER:
        case FIFO_SILENT_WRITER:
            path = tl_path(name);
            assert_int_equal(mkfifo(path, (mode_t)c->mode), 0);
            if (c->kind == FIFO_SILENT_WRITER) {
                writer = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
                assert_true(writer >= 0);
            }
            break;
        case MISSING:
            path = tl_path(name);
            break;
        }
        errno = 0;
        got = table_read(path, &t);
        err = errno;
        if (writer >= 0)
            close(writer);
        if (got != c->status || (got != TABLE_OK && err != c->err)) {
            print_error("%s: status %d errno %d, want %d errno %d\n", c->name,
                        got, err, c->status, c->err);
            failures++;
            continue;
        }
        if (got != TABLE_OK)
            continue;
        assert_int_equal(stat(path, &st), 0);
        if (t.size != c->n ||
            memcmp(t.data, c->content ? c->content : "", c->n) != 0 ||
            t.has_nul != (memchr(t.data, '\0', t.size) != NULL) ||
            t.any_reader != c->any_reader || t.st.st_ino != st.st_ino ||
            t.st.st_dev != st.st_dev) {
            print_error("%s: size %zu, nul %d, any_reader %d\n", c->name,
                        t.size, t.has_nul, t.any_reader);
            failures++;
        }
        /* TABLE_PADDING zeros after the data, always. */
        {
            size_t k;
            for (k = 0; k < TABLE_PADDING; k++)
                if (t.data[t.size + k] != '\0')
                    fail_msg("%s: no padding", c->name);
        }
        table_text_free(&t);
        assert_null(t.data);
    }
    assert_int_equal(failures, 0);
}

/* EACCES, as a process that may not read the file: nobody, in a child
 * (root reads everything). */
static void test_read_unreadable(void **state)
{
    char path[600];
    pid_t pid;
    int status;

    (void)state;
    snprintf(path, sizeof(path), "%s", tl_write("secret", "x\n"));
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(chmod(tl_path(""), 0755), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct table_text t;
        if (geteuid() != 0 && chmod(path, 0) != 0)
            _exit(11);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(10);
        errno = 0;
        if (table_read(path, &t) != TABLE_UNREADABLE || errno != EACCES) {
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            _exit(12);
        }
        _exit(0);
    }
    status = tl_wait(pid, 10);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static const struct racy_case {
    long mtime, ctime, now;
    bool racy;
} racy[] = {
    {.mtime = 100, .ctime = 100, .now = 100, .racy = true},
    {.mtime = 100, .ctime = 100, .now = 103, .racy = true},
    {.mtime = 100, .ctime = 100, .now = 104},
    {.mtime = 90, .ctime = 100, .now = 103, .racy = true},
    {.mtime = 100, .ctime = 90, .now = 103, .racy = true},
    {.mtime = 90, .ctime = 90, .now = 103},
    {.mtime = 200, .ctime = 200, .now = 100, .racy = true}, /* future */
    {.mtime = 0, .ctime = 0, .now = 1000000000},
};

static void test_racy(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(racy); i++) {
        struct stat st;
        struct timespec now = {.tv_sec = racy[i].now, .tv_nsec = 999999999};

        memset(&st, 0, sizeof(st));
        st.st_mtim.tv_sec = racy[i].mtime;
        st.st_ctim.tv_sec = racy[i].ctime;
        if (table_is_racy(&st, &now) != racy[i].racy)
            fail_msg("mtime %ld ctime %ld now %ld: racy %d", racy[i].mtime,
                     racy[i].ctime, racy[i].now, table_is_racy(&st, &now));
    }
}

/* ---- streams ---- */

/* The logical lines of a file read as a stream, piece by piece, with the
 * line count carried from piece to piece as the library carries it;
 * checks that each piece but the last ends a logical line. */
static size_t stream_lines(struct strbuf *out, const char *path)
{
    struct table_stream ts;
    struct table_text piece;
    struct strbuf scratch = STRBUF_INIT;
    struct logical_line line;
    struct line_iter it;
    size_t pieces = 0;
    int newlines = 0, error;

    sb_reset(out);
    assert_int_equal(table_stream_open(path, &ts, false), TABLE_OK);
    while (table_stream_next(&ts, &piece, &error)) {
        pieces++;
        assert_true(piece.size > 0);
        line_iter_at(&it, &piece, 0, newlines);
        while (line_iter_next(&it, &scratch, &line))
            describe(out, line.text, line.len, line.lineno, line.unterminated);
        newlines = it.newlines;
    }
    assert_int_equal(error, 0);
    table_stream_close(&ts);
    sb_free(&scratch);
    return pieces;
}

/* The same lines through table_read(). */
static void whole_lines(struct strbuf *out, const char *path)
{
    struct table_text t;
    struct strbuf scratch = STRBUF_INIT;
    struct logical_line line;
    struct line_iter it;

    sb_reset(out);
    assert_int_equal(table_read(path, &t), TABLE_OK);
    line_iter_init(&it, &t);
    while (line_iter_next(&it, &scratch, &line))
        describe(out, line.text, line.len, line.lineno, line.unterminated);
    sb_free(&scratch);
    table_text_free(&t);
}

/* Builders of files that put awkward things on piece boundaries. */
static void plain_lines(struct strbuf *sb)
{
    int i;

    for (i = 0; i < 20000; i++)
        sb_printf(sb, "sshd: 10.0.%d.%d\n", i / 250, i % 250);
}

static void continued_lines(struct strbuf *sb)
{
    int i;

    for (i = 0; i < 20000; i++)
        sb_printf(sb, "sshd: 10.0.%d.%d \\\n", i / 250, i % 250);
    sb_puts(sb, "end\n");
}

static void long_line(struct strbuf *sb)
{
    int i;

    sb_puts(sb, "a: b\n");
    for (i = 0; i < 200000; i++)
        sb_putc(sb, (char)('a' + i % 26));
    sb_puts(sb, "\nlast\n");
}

static void no_final_newline(struct strbuf *sb)
{
    plain_lines(sb);
    sb_puts(sb, "sshd: end");
}

static void nul_late(struct strbuf *sb)
{
    plain_lines(sb);
    sb_append(sb, "a\0b\nc\n", 6);
    plain_lines(sb);
}

static void continued_at_end(struct strbuf *sb)
{
    plain_lines(sb);
    sb_puts(sb, "x\\\n");
}

static const struct stream_case {
    const char *name;
    void (*build)(struct strbuf *sb);
    const char *text; /* when build is NULL */
    size_t min_pieces;
} streams[] = {
    {.name = "plain lines", .build = plain_lines, .min_pieces = 3},
    {.name = "one long continued line",
     .build = continued_lines,
     .min_pieces = 1},
    {.name = "a line longer than a piece",
     .build = long_line,
     .min_pieces = 1},
    {.name = "no final newline", .build = no_final_newline, .min_pieces = 3},
    {.name = "a NUL after the first piece",
     .build = nul_late,
     .min_pieces = 2},
    {.name = "continued into the end",
     .build = continued_at_end,
     .min_pieces = 3},
    {.name = "small", .text = "a\nb\n", .min_pieces = 1},
    {.name = "empty", .text = "", .min_pieces = 0},
};

static void test_streams(void **state)
{
    struct strbuf text = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
    size_t i, pieces;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(streams); i++) {
        const struct stream_case *c = &streams[i];
        const char *path;

        sb_reset(&text);
        if (c->build != NULL)
            c->build(&text);
        else
            sb_puts(&text, c->text);
        path = tl_write_bytes("stream", text.data != NULL ? text.data : "",
                              text.len);
        pieces = stream_lines(&a, path);
        whole_lines(&b, path);
        if (strcmp(sb_str(&a), sb_str(&b)) != 0 || pieces < c->min_pieces) {
            print_error("%s: %zu pieces; the stream's lines differ from the "
                        "whole file's: %.200s\n",
                        c->name, pieces, sb_str(&a));
            failures++;
        }
    }
    sb_free(&text);
    sb_free(&a);
    sb_free(&b);
    assert_int_equal(failures, 0);
}

/* A stream starts again from its beginning; a special file is read
 * whole at open and cannot be rewound. */
static void test_stream_rewind(void **state)
{
    struct strbuf text = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
    struct table_stream ts;
    struct table_text piece;
    int error;

    (void)state;
    plain_lines(&text);
    tl_write_bytes("stream", text.data, text.len);
    assert_int_equal(table_stream_open(tl_path("stream"), &ts, true),
                     TABLE_OK);
    assert_true(ts.any_reader);
    assert_true(table_stream_next(&ts, &piece, &error));
    sb_append(&a, piece.data, piece.size);
    assert_true(table_stream_rewind(&ts));
    assert_true(table_stream_next(&ts, &piece, &error));
    sb_append(&b, piece.data, piece.size);
    assert_string_equal(sb_str(&a), sb_str(&b));
    table_stream_close(&ts);
    /* Not asked for: not learnt (a decision that streams needs no ACL
     * lookup). */
    assert_int_equal(table_stream_open(tl_path("stream"), &ts, false),
                     TABLE_OK);
    assert_false(ts.any_reader);
    table_stream_close(&ts);
    assert_int_equal(table_stream_open("/dev/null", &ts, false), TABLE_OK);
    assert_false(table_stream_rewind(&ts));
    assert_false(table_stream_next(&ts, &piece, &error));
    assert_int_equal(error, 0);
    table_stream_close(&ts);
    assert_int_equal(table_stream_open(tl_path("none"), &ts, false),
                     TABLE_MISSING);
    sb_free(&text);
    sb_free(&a);
    sb_free(&b);
}

/* ---- xgets() (Debian's reader, exported) ---- */

static const struct xgets_case {
    const char *name;
    const char *text;
    int len;              /* the buffer given */
    const char *lines[4]; /* what each call returns; NULL ends */
    int count;            /* tcpd_context.line after them */
} xgetss[] = {
    {.name = "two lines",
     .text = "a\nb\n",
     .len = 16,
     .lines = {"a\n", "b\n"},
     .count = 2},
    {.name = "continuation",
     .text = "a\\\nb\n",
     .len = 16,
     .lines = {"ab\n"},
     .count = 2},
    {.name = "no final newline",
     .text = "a\nb",
     .len = 16,
     .lines = {"a\n", "b"},
     .count = 1},
    /* A line that does not fit comes in pieces without newline (1.7). */
    {.name = "too long for the buffer",
     .text = "abcdef\n",
     .len = 4,
     .lines = {"abc", "def", "\n"},
     .count = 1},
    {.name = "backslash CR LF",
     .text = "a\\\r\nb\n",
     .len = 16,
     .lines = {"a\\\r\n", "b\n"},
     .count = 2},
    {.name = "continued into the end",
     .text = "\\\n",
     .len = 16,
     .lines = {NULL},
     .count = 1},
    {.name = "empty", .text = "", .len = 16, .lines = {NULL}, .count = 0},
};

static void test_xgets(void **state)
{
    size_t i;
    int k;

    (void)state;
    for (i = 0; i < TL_COUNT(xgetss); i++) {
        const struct xgets_case *c = &xgetss[i];
        FILE *fp = fopen(tl_write("x", c->text), "r");
        char buf[64];

        assert_non_null(fp);
        tcpd_context.line = 0;
        for (k = 0; c->lines[k] != NULL; k++) {
            if (xgets(buf, c->len, fp) != buf || strcmp(buf, c->lines[k]) != 0)
                fail_msg("%s: line %d is \"%s\"", c->name, k, buf);
        }
        if (xgets(buf, c->len, fp) != NULL)
            fail_msg("%s: one line too many: \"%s\"", c->name, buf);
        assert_int_equal(tcpd_context.line, c->count);
        fclose(fp);
    }
    tcpd_context.line = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_cases),
        cmocka_unit_test(test_lines_exhaustive),
        cmocka_unit_test(test_iter_at),
        cmocka_unit_test(test_open_status),
        cmocka_unit_test_setup_teardown(test_read, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_read_unreadable, tl_setup,
                                        tl_teardown),
        cmocka_unit_test(test_racy),
        cmocka_unit_test_setup_teardown(test_streams, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_stream_rewind, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_xgets, tl_setup, tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
