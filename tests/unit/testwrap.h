/*
 * testwrap.h - prototypes of the calls tests take over with -Wl,--wrap.
 *
 * A test linked with -Wl,--wrap=name gets the library's calls of name()
 * in its own __wrap_name(), which reaches the C library through
 * __real_name().  The prototypes live here once, whichever test defines
 * the wrappers; the link options are in the CMakeLists.txt beside each
 * test.
 */
#ifndef TESTWRAP_H
#define TESTWRAP_H

#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Descriptors. */
int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
int __real_socket(int domain, int type, int protocol);
int __wrap_socket(int domain, int type, int protocol);
int __real_pipe(int fds[2]);
int __wrap_pipe(int fds[2]);
int __real_pipe2(int fds[2], int flags);
int __wrap_pipe2(int fds[2], int flags);
int __real_dup(int fd);
int __wrap_dup(int fd);
int __real_dup2(int fd, int to);
int __wrap_dup2(int fd, int to);
int __real_fcntl(int fd, int cmd, ...);
int __wrap_fcntl(int fd, int cmd, ...);
int __real_accept(int fd, struct sockaddr *sa, socklen_t *len);
int __wrap_accept(int fd, struct sockaddr *sa, socklen_t *len);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);

/* The resolver. */
int __real_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                       socklen_t hostlen, char *serv, socklen_t servlen,
                       int flags);
int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                       socklen_t hostlen, char *serv, socklen_t servlen,
                       int flags);
int __real_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res);
int __wrap_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res);
int __real_innetgr(const char *group, const char *host, const char *user,
                   const char *domain);
int __wrap_innetgr(const char *group, const char *host, const char *user,
                   const char *domain);

/* Memory. */
void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__wrap_strdup(const char *s);
void __real_free(void *p);
void __wrap_free(void *p);

/* Processes. */
long __real_syscall(long number, long a, long b, long c, long d, long e);
long __wrap_syscall(long number, long a, long b, long c, long d, long e);
pid_t __real_fork(void);
pid_t __wrap_fork(void);
int __real_execve(const char *path, char *const argv[], char *const envp[]);
int __wrap_execve(const char *path, char *const argv[], char *const envp[]);
unsigned __real_sleep(unsigned seconds);
unsigned __wrap_sleep(unsigned seconds);

/* The ident lookup, for tests that must see whether it was asked. */
struct sockaddr;
void __real_rfc931(struct sockaddr *rmt, struct sockaddr *our, char *dest);
void __wrap_rfc931(struct sockaddr *rmt, struct sockaddr *our, char *dest);

#endif
