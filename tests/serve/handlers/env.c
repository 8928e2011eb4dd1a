/*
 * env.c — answers 200 with its whole environment, one NAME=VALUE a line
 * (text/plain): the suite checks that nothing of the host's leaks in.
 */
#include "wagi.h"

extern char **environ;

int main(void)
{
    printf("Content-Type: text/plain\n\n");
    for (char **e = environ; *e; e++)
        printf("%s\n", *e);
    return 0;
}
