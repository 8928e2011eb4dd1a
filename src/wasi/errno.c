/*
 * errno.c — host errno → WASI errno, the one place the two numberings meet.
 * Each host name maps to the WASI errno of the same name; a host value WASI
 * does not know becomes WASI_EIO.
 */
#include <errno.h>

#include "wasi/errno.h"

uint16_t wbWasiErrno(int e)
{
    switch (e) {
    case 0: return WASI_ESUCCESS;
#ifdef E2BIG
    case E2BIG: return WASI_E2BIG;
#endif
#ifdef EACCES
    case EACCES: return WASI_EACCES;
#endif
#ifdef EADDRINUSE
    case EADDRINUSE: return WASI_EADDRINUSE;
#endif
#ifdef EADDRNOTAVAIL
    case EADDRNOTAVAIL: return WASI_EADDRNOTAVAIL;
#endif
#ifdef EAFNOSUPPORT
    case EAFNOSUPPORT: return WASI_EAFNOSUPPORT;
#endif
#ifdef EAGAIN
    case EAGAIN: return WASI_EAGAIN;
#endif
#ifdef EALREADY
    case EALREADY: return WASI_EALREADY;
#endif
#ifdef EBADF
    case EBADF: return WASI_EBADF;
#endif
#ifdef EBADMSG
    case EBADMSG: return WASI_EBADMSG;
#endif
#ifdef EBUSY
    case EBUSY: return WASI_EBUSY;
#endif
#ifdef ECANCELED
    case ECANCELED: return WASI_ECANCELED;
#endif
#ifdef ECHILD
    case ECHILD: return WASI_ECHILD;
#endif
#ifdef ECONNABORTED
    case ECONNABORTED: return WASI_ECONNABORTED;
#endif
#ifdef ECONNREFUSED
    case ECONNREFUSED: return WASI_ECONNREFUSED;
#endif
#ifdef ECONNRESET
    case ECONNRESET: return WASI_ECONNRESET;
#endif
#ifdef EDEADLK
    case EDEADLK: return WASI_EDEADLK;
#endif
#ifdef EDESTADDRREQ
    case EDESTADDRREQ: return WASI_EDESTADDRREQ;
#endif
#ifdef EDOM
    case EDOM: return WASI_EDOM;
#endif
#ifdef EDQUOT
    case EDQUOT: return WASI_EDQUOT;
#endif
#ifdef EEXIST
    case EEXIST: return WASI_EEXIST;
#endif
#ifdef EFAULT
    case EFAULT: return WASI_EFAULT;
#endif
#ifdef EFBIG
    case EFBIG: return WASI_EFBIG;
#endif
#ifdef EHOSTUNREACH
    case EHOSTUNREACH: return WASI_EHOSTUNREACH;
#endif
#ifdef EIDRM
    case EIDRM: return WASI_EIDRM;
#endif
#ifdef EILSEQ
    case EILSEQ: return WASI_EILSEQ;
#endif
#ifdef EINPROGRESS
    case EINPROGRESS: return WASI_EINPROGRESS;
#endif
#ifdef EINTR
    case EINTR: return WASI_EINTR;
#endif
#ifdef EINVAL
    case EINVAL: return WASI_EINVAL;
#endif
#ifdef EIO
    case EIO: return WASI_EIO;
#endif
#ifdef EISCONN
    case EISCONN: return WASI_EISCONN;
#endif
#ifdef EISDIR
    case EISDIR: return WASI_EISDIR;
#endif
#ifdef ELOOP
    case ELOOP: return WASI_ELOOP;
#endif
#ifdef EMFILE
    case EMFILE: return WASI_EMFILE;
#endif
#ifdef EMLINK
    case EMLINK: return WASI_EMLINK;
#endif
#ifdef EMSGSIZE
    case EMSGSIZE: return WASI_EMSGSIZE;
#endif
#ifdef EMULTIHOP
    case EMULTIHOP: return WASI_EMULTIHOP;
#endif
#ifdef ENAMETOOLONG
    case ENAMETOOLONG: return WASI_ENAMETOOLONG;
#endif
#ifdef ENETDOWN
    case ENETDOWN: return WASI_ENETDOWN;
#endif
#ifdef ENETRESET
    case ENETRESET: return WASI_ENETRESET;
#endif
#ifdef ENETUNREACH
    case ENETUNREACH: return WASI_ENETUNREACH;
#endif
#ifdef ENFILE
    case ENFILE: return WASI_ENFILE;
#endif
#ifdef ENOBUFS
    case ENOBUFS: return WASI_ENOBUFS;
#endif
#ifdef ENODEV
    case ENODEV: return WASI_ENODEV;
#endif
#ifdef ENOENT
    case ENOENT: return WASI_ENOENT;
#endif
#ifdef ENOEXEC
    case ENOEXEC: return WASI_ENOEXEC;
#endif
#ifdef ENOLCK
    case ENOLCK: return WASI_ENOLCK;
#endif
#ifdef ENOLINK
    case ENOLINK: return WASI_ENOLINK;
#endif
#ifdef ENOMEM
    case ENOMEM: return WASI_ENOMEM;
#endif
#ifdef ENOMSG
    case ENOMSG: return WASI_ENOMSG;
#endif
#ifdef ENOPROTOOPT
    case ENOPROTOOPT: return WASI_ENOPROTOOPT;
#endif
#ifdef ENOSPC
    case ENOSPC: return WASI_ENOSPC;
#endif
#ifdef ENOSYS
    case ENOSYS: return WASI_ENOSYS;
#endif
#ifdef ENOTCONN
    case ENOTCONN: return WASI_ENOTCONN;
#endif
#ifdef ENOTDIR
    case ENOTDIR: return WASI_ENOTDIR;
#endif
#ifdef ENOTEMPTY
    case ENOTEMPTY: return WASI_ENOTEMPTY;
#endif
#ifdef ENOTRECOVERABLE
    case ENOTRECOVERABLE: return WASI_ENOTRECOVERABLE;
#endif
#ifdef ENOTSOCK
    case ENOTSOCK: return WASI_ENOTSOCK;
#endif
#ifdef ENOTSUP
    case ENOTSUP: return WASI_ENOTSUP;
#endif
#ifdef ENOTTY
    case ENOTTY: return WASI_ENOTTY;
#endif
#ifdef ENXIO
    case ENXIO: return WASI_ENXIO;
#endif
#ifdef EOVERFLOW
    case EOVERFLOW: return WASI_EOVERFLOW;
#endif
#ifdef EOWNERDEAD
    case EOWNERDEAD: return WASI_EOWNERDEAD;
#endif
#ifdef EPERM
    case EPERM: return WASI_EPERM;
#endif
#ifdef EPIPE
    case EPIPE: return WASI_EPIPE;
#endif
#ifdef EPROTO
    case EPROTO: return WASI_EPROTO;
#endif
#ifdef EPROTONOSUPPORT
    case EPROTONOSUPPORT: return WASI_EPROTONOSUPPORT;
#endif
#ifdef EPROTOTYPE
    case EPROTOTYPE: return WASI_EPROTOTYPE;
#endif
#ifdef ERANGE
    case ERANGE: return WASI_ERANGE;
#endif
#ifdef EROFS
    case EROFS: return WASI_EROFS;
#endif
#ifdef ESPIPE
    case ESPIPE: return WASI_ESPIPE;
#endif
#ifdef ESRCH
    case ESRCH: return WASI_ESRCH;
#endif
#ifdef ESTALE
    case ESTALE: return WASI_ESTALE;
#endif
#ifdef ETIMEDOUT
    case ETIMEDOUT: return WASI_ETIMEDOUT;
#endif
#ifdef ETXTBSY
    case ETXTBSY: return WASI_ETXTBSY;
#endif
#ifdef EXDEV
    case EXDEV: return WASI_EXDEV;
#endif
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return WASI_EAGAIN;
#endif
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP: return WASI_ENOTSUP;
#endif
#if defined(EDEADLOCK) && EDEADLOCK != EDEADLK
    case EDEADLOCK: return WASI_EDEADLK;
#endif
    default: return WASI_EIO;
    }
}
