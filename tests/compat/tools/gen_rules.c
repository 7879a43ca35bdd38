/*
 * gen_rules.c - random rule files for comparing our tools with Debian's.
 *
 * usage: gen_rules SEED DIR [options]
 *
 * Writes DIR/hosts.allow, DIR/hosts.deny and DIR/queries (one
 * "daemon client" pair per line for tcpdmatch) from a fixed vocabulary
 * of patterns, good and bad, that Debian's tools and ours must treat
 * the same.  Constructs where the project deliberately differs (bare
 * IPv6 addresses, over-long lines, a missing final newline, aclexec,
 * user/group, syslog names Debian lacks, self-including files) are left
 * out.  With "options", rules also get option fields.  Every eighth seed
 * (3, 11, 19, ...) writes both tables with DOS line endings (CR LF), as
 * a file saved by a Windows editor has.  Deterministic: the same seed
 * gives the same files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long state;
/* The end of every line of the tables: "\n", or "\r\n" for DOS seeds. */
static const char *eol = "\n";

/* A small linear congruential generator: reproducible everywhere. */
static unsigned pick(unsigned n)
{
    state = state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((state >> 33) % n);
}

#define PICK(a) (a[pick(sizeof(a) / sizeof(a[0]))])

/* The vocabularies, packed by hand (clang-format would give each word
 * a line of its own). */
/* clang-format off */
static const char *const daemons[] = {
    "ALL", "sshd", "in.ftpd", "in.telnetd", "vsftpd", "portmap", "mysqld",
    "in.fingerd", "sshd@127.0.0.1", "sshd@10.0.0.1", "ALL@127.0.0.1",
    "in.ftpd@one", "sshd@multi.example.com", "sshd@nosuch.example",
    "KNOWN", "LOCAL", "paranoid", "unknown", ".dotted", "dotted.",
    "@group", "22", "ssh*", "in.?tpd", "ALL@ALL", "sshd@.example.com",
};
static const char *const clients[] = {
    "ALL", "LOCAL", "KNOWN", "UNKNOWN", "PARANOID", "10.0.0.1", "10.0.0.2",
    "10.0.0.", "10.0.0.0/8", "10.0.0.0/255.255.255.0", "10.0.0.0/33",
    "10.0.0.0/", ".example.com", "one.example.com", "one", "alias2",
    "nosuch.example.com", "[::1]", "[2001:db8::]/32", "[2001:db8::5]",
    "[::1]/200", "127.0.0.1", "localhost", "bob@ALL", "bob@10.0.0.1",
    "ALL@ALL", ".bob@ALL", "bob.@ALL", "LOCAL@ALL", "@netgrp", "10.0.0.*",
    "FAIL", "0.0.0.0", "255.255.255.255", "dom.", ".10.0", "10.0.0.9",
    "1.2.3", "multi.example.com", "two.example.com", "*.example.com",
    "[zz]", ".", "10.0.0.1/255.255.255.0", "0.0.0.0/0.0.0.0",
    "1.2.3.4/255.255.255.255", "LIST",
    /* Read alike by both, and each caught by one of our lints. */
    "206.182.68.0", "010.0.0.0/255.0.0.0", "10.0.0.0/8x",
    "[2001:db8::]/abc", "0x0a.0.0.1", "#", "10.1.2.3",
};
static const char *const options[] = {
    "allow", "deny", "spawn echo %a %d", "twist echo hi %c",
    "banners BANNERS", "severity auth.info", "severity local0.notice",
    "setenv X y", "umask 022", "umask 0777", "nice 5", "keepalive",
    "linger 5", "rfc931 3", "bogus", "umask 999", "severity foo",
    "allow : deny", "", "spawn", "keepalive 5", "DENY", "ALLOW",
};
static const char *const query_daemons[] = {
    "sshd", "in.ftpd", "in.telnetd", "vsftpd", "portmap", "mysqld",
    "/usr/sbin/in.ftpd", "sshd@127.0.0.1", "sshd@one", "unknown",
    "in.fingerd", "sshd@10.0.0.9",
};
static const char *const query_clients[] = {
    "10.0.0.1", "10.0.0.2", "one", "one.example.com", "multi", "both",
    "localhost", "unknown", "paranoid", "bob@10.0.0.1", "::1",
    "2001:db8::5", "127.0.0.1", "nosuch", "alias2", "10.0.0.7",
    "fwd.example.com", "Paranoid", "1.2.3",
};
/* clang-format on */

/* A list of 1..3 patterns, sometimes with EXCEPT. */
static void list(FILE *fp, const char *const *vocab, unsigned n,
                 const char *file)
{
    unsigned count = 1 + pick(3), i;

    for (i = 0; i < count; i++) {
        const char *p = vocab[pick(n)];
        if (i > 0)
            fputs(pick(3) == 0 ? ", " : " ", fp);
        /* Debian's tcpdchk checks nothing after a /file pattern (its
         * reader clobbers the list's strtok() state); ours checks all,
         * so a /file ends the list here. */
        if (strcmp(p, "LIST") == 0) {
            fputs(file, fp);
            return;
        }
        fputs(p, fp);
    }
    if (pick(6) == 0)
        fprintf(fp, " EXCEPT %s", vocab[pick(n)]);
}

/* Writes one table of random rules. */
static void table(const char *path, unsigned rules, int with_options,
                  const char *listfile, const char *banners)
{
    FILE *fp = fopen(path, "w");
    unsigned i;

    if (fp == NULL) {
        perror(path);
        exit(1);
    }
    for (i = 0; i < rules; i++) {
        switch (pick(12)) {
        case 0:
            fprintf(fp, "# a comment%s", eol);
            continue;
        case 1:
            fputs(eol, fp);
            continue;
        case 2:
            fprintf(fp, "no colon here%s", eol);
            continue;
        }
        list(fp, daemons, sizeof(daemons) / sizeof(daemons[0]), listfile);
        fputs(pick(2) ? ": " : " : ", fp);
        list(fp, clients, sizeof(clients) / sizeof(clients[0]), listfile);
        if (with_options && pick(2)) {
            const char *o = PICK(options);
            fputs(" : ", fp);
            if (strncmp(o, "banners ", 8) == 0)
                fprintf(fp, "banners %s", banners);
            else
                fputs(o, fp);
        }
        fputs(eol, fp);
    }
    fclose(fp);
}

int main(int argc, char **argv)
{
    char path[4096], listfile[4096], banners[4096];
    FILE *fp;
    unsigned i;
    int with_options;

    if (argc < 3) {
        fprintf(stderr, "usage: gen_rules SEED DIR [options]\n");
        return 2;
    }
    state = strtoul(argv[1], NULL, 10) * 2654435761UL + 1;
    /* Chosen by the seed alone, so that the other seeds' rules stay as
     * they were before DOS cases existed. */
    if (strtoul(argv[1], NULL, 10) % 8 == 3)
        eol = "\r\n";
    with_options = argc > 3 && strcmp(argv[3], "options") == 0;
    snprintf(listfile, sizeof(listfile), "%s/hostlist", argv[2]);
    snprintf(banners, sizeof(banners), "%s/banners", argv[2]);

    snprintf(path, sizeof(path), "%s/hostlist", argv[2]);
    if ((fp = fopen(path, "w")) == NULL)
        return 1;
    fputs("10.0.0.2 nosuch.list.example\n.example.com bad. @nolistgrp\n", fp);
    fclose(fp);

    snprintf(path, sizeof(path), "%s/hosts.allow", argv[2]);
    table(path, 4 + pick(8), with_options, listfile, banners);
    snprintf(path, sizeof(path), "%s/hosts.deny", argv[2]);
    table(path, 2 + pick(5), with_options, listfile, banners);

    snprintf(path, sizeof(path), "%s/queries", argv[2]);
    if ((fp = fopen(path, "w")) == NULL)
        return 1;
    for (i = 0; i < 6; i++)
        fprintf(fp, "%s %s\n", PICK(query_daemons), PICK(query_clients));
    fclose(fp);
    return 0;
}
