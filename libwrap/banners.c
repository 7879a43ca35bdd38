/*
 * banners.c - the banners option.
 *
 * Exports banners_send().  The file is sent the way Debian sends it, byte
 * for byte: NUL bytes at the very start of the file are sent one by one;
 * then the file is read in pieces that end after a newline or after
 * BANNER_PIECE bytes, whichever comes first.  Each piece counts only up
 * to its first NUL byte, its newline becomes CR LF, and it is %-expanded
 * on its own (so a %-sequence cut by a piece boundary is not expanded,
 * exactly as with Debian).  Expansion has no length limit
 * (compat-policy D3).  Write errors are ignored: the client may be gone.
 */
#include "banners.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "percent.h"
#include "strbuf.h"

/* Debian's read size for banner files, in bytes. */
#define BANNER_PIECE 8190

/* Sends n bytes to the client; SIGPIPE is not raised for sockets. */
static void send_all(int fd, const char *data, size_t n)
{
    ssize_t k;

    while (n > 0) {
        k = send(fd, data, n, MSG_NOSIGNAL);
        if (k < 0 && errno == ENOTSOCK)
            k = write(fd, data, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return;
        data += k;
        n -= (size_t)k;
    }
}

/* Reads the next piece into piece; false at end of file. */
static bool read_piece(FILE *fp, struct strbuf *piece)
{
    size_t n = 0;
    int c;

    sb_reset(piece);
    while (n < BANNER_PIECE && (c = getc(fp)) != EOF) {
        sb_putc(piece, (char)c);
        n++;
        if (c == '\n')
            break;
    }
    return n > 0;
}

/* Sends <dir>/<daemon> to the client socket. */
bool banners_send(const char *dir, struct request_info *r)
{
    struct strbuf path = STRBUF_INIT, piece = STRBUF_INIT;
    struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
    struct stat st;
    FILE *fp;
    bool ok = true;
    int c;

    if (!sb_printf(&path, "%s/%s", dir, r->daemon)) {
        ok = false;
        goto done;
    }
    if ((fp = fopen(sb_str(&path), "re")) == NULL) {
        if (stat(dir, &st) < 0)
            diag_warn("%s: %m", dir);
        goto done;
    }
    while ((c = getc(fp)) == 0)
        send_all(r->fd, "", 1);
    if (c != EOF)
        ungetc(c, fp);
    while (ok && read_piece(fp, &piece)) {
        const char *s = sb_str(&piece);
        size_t len = strlen(s); /* the piece ends at its first NUL */

        sb_reset(&text);
        if (len > 0 && s[len - 1] == '\n') {
            sb_append(&text, s, len - 1);
            sb_puts(&text, "\r\n");
        } else {
            sb_append(&text, s, len);
        }
        sb_reset(&out);
        if (sb_failed(&piece) || sb_failed(&text) ||
            !percent_expand(&out, sb_str(&text), r))
            ok = false;
        else
            send_all(r->fd, out.data, out.len);
    }
    fclose(fp);
done:
    sb_free(&path);
    sb_free(&piece);
    sb_free(&text);
    sb_free(&out);
    return ok;
}
