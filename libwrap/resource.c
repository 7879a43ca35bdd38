/*
 * resource.c - telling this process's resource failures from answers.
 *
 * Exports the resource_* functions of resource.h.  The probe opens the
 * root directory as an O_PATH descriptor, which needs no permission and
 * no memory beyond the descriptor itself, and closes it at once.
 */
#include "resource.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>

bool resource_errno(int err)
{
    return err == EMFILE || err == ENFILE || err == ENOMEM;
}

int resource_probe(void)
{
    int fd = open("/", O_PATH | O_CLOEXEC | O_DIRECTORY);

    if (fd < 0)
        return resource_errno(errno) ? errno : 0;
    (void)close(fd);
    return 0;
}

int resource_gai_failure(int rc)
{
    int err = errno;

    if (rc == 0)
        return 0;
    if (rc == EAI_MEMORY)
        return ENOMEM;
    if (rc == EAI_SYSTEM && resource_errno(err))
        return err;
    return resource_probe();
}
