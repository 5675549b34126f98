/* netdev.c: linux.netDevices over rtnetlink (netdev.h). */
#include "netdev.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/cleanup.h"

#define ADDRS_MAX      32 /* addresses kept per device */
#define ADDR_ATTRS_MAX 96 /* IFA_LOCAL + IFA_ADDRESS + IFA_BROADCAST of IPv6 fit */

/* An address to add again after the move: its header and the attributes
 * that make it (runc re-adds the prefix alone; the broadcast and peer
 * addresses are kept too, and no flags or lifetimes: those are the
 * kernel's). */
struct saved_addr {
    bool carry; /* global scope: added again in the container */
    struct ifaddrmsg ifa;
    size_t len;
    unsigned char attrs[ADDR_ATTRS_MAX];
};

struct moved {
    const char *host_name;  /* the entry key (borrowed from the config) */
    const char *want;       /* the name asked for in the container, maybe "%d" */
    char name[IF_NAMESIZE]; /* the name it got there */
    int host_index;
    int index; /* in the container's namespace */
    bool was_up;
    bool moved;
    size_t naddrs;
    struct saved_addr addrs[ADDRS_MAX];
};

struct berth_netdevs {
    int host_ns; /* where the devices came from, for undo */
    int ct_ns;   /* held: undo works even once the init is gone */
    size_t n;
    struct moved dev[];
};

/* ---- rtnetlink ------------------------------------------------------------ */

struct req {
    union {
        struct nlmsghdr h;
        unsigned char buf[512];
    };
};

struct link {
    int index;
    unsigned flags;
    char name[IF_NAMESIZE];
};

typedef int (*nl_cb)(const struct nlmsghdr *m, void *data);

static int nl_open(void)
{
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int r = -errno;
        close(fd);
        return r;
    }
    return fd;
}

/* A socket works in the namespace it was made in: enter netns_fd for the
 * socket(2) only. berth is single-threaded here, so the thread is the
 * process; the way back cannot fail short of the host's own namespace
 * going away. */
static int nl_open_in(int netns_fd)
{
    _cleanup_close_ int own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    int fd, r;

    if (own < 0)
        return -errno;
    if (setns(netns_fd, CLONE_NEWNET) < 0)
        return -errno;
    fd = nl_open();
    if (setns(own, CLONE_NEWNET) < 0) {
        r = -errno;
        if (fd >= 0)
            close(fd);
        return r;
    }
    return fd;
}

static void *req_init(struct req *r, uint16_t type, uint16_t flags, size_t hdr)
{
    memset(r, 0, sizeof(*r));
    r->h.nlmsg_len = NLMSG_LENGTH(hdr);
    r->h.nlmsg_type = type;
    r->h.nlmsg_flags = NLM_F_REQUEST | flags;
    return NLMSG_DATA(&r->h);
}

static int req_put(struct req *r, uint16_t type, const void *data, size_t len)
{
    size_t off = NLMSG_ALIGN(r->h.nlmsg_len);
    struct rtattr *a;

    if (off + RTA_SPACE(len) > sizeof(r->buf))
        return -ENOBUFS;
    a = (struct rtattr *)(r->buf + off);
    a->rta_type = type;
    a->rta_len = (unsigned short)RTA_LENGTH(len);
    memcpy(RTA_DATA(a), data, len);
    r->h.nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
    return 0;
}

/* Sends r and reads the answer: a dump (NLM_F_DUMP) until NLMSG_DONE, a get
 * (cb without dump) until its one reply, anything else until the kernel's
 * acknowledgement. Returns 0 or the kernel's -errno. */
static int nl_talk(int fd, struct req *r, nl_cb cb, void *data)
{
    static uint32_t seq;
    bool dump = r->h.nlmsg_flags & NLM_F_DUMP;
    /* netlink sizes a dump's messages by the buffer recvmsg offers (at
     * least a page): 8 KiB loses nothing */
    union {
        struct nlmsghdr h;
        char buf[8192];
    } in;

    if (!cb)
        r->h.nlmsg_flags |= NLM_F_ACK;
    r->h.nlmsg_seq = ++seq;
    if (send(fd, &r->h, r->h.nlmsg_len, 0) < 0)
        return -errno;
    for (;;) {
        ssize_t n = recv(fd, in.buf, sizeof(in.buf), 0);
        size_t left;

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        left = (size_t)n;
        for (struct nlmsghdr *m = &in.h; NLMSG_OK(m, left); m = NLMSG_NEXT(m, left)) {
            int rc;
            if (m->nlmsg_seq != r->h.nlmsg_seq)
                continue;
            if (m->nlmsg_type == NLMSG_DONE)
                return 0;
            if (m->nlmsg_type == NLMSG_ERROR)
                return ((const struct nlmsgerr *)NLMSG_DATA(m))->error;
            if (cb && (rc = cb(m, data)) < 0)
                return rc;
            if (cb && !dump)
                return 0;
        }
    }
}

static int parse_link(const struct nlmsghdr *m, void *data)
{
    const struct ifinfomsg *i = NLMSG_DATA(m);
    struct link *l = data;
    int len = (int)IFLA_PAYLOAD(m);

    if (m->nlmsg_type != RTM_NEWLINK)
        return 0;
    l->index = i->ifi_index;
    l->flags = i->ifi_flags;
    for (const struct rtattr *a = IFLA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len))
        if (a->rta_type == IFLA_IFNAME)
            snprintf(l->name, sizeof(l->name), "%.*s", (int)RTA_PAYLOAD(a),
                     (const char *)RTA_DATA(a));
    return 0;
}

/* By name, or by index when name is NULL. -ENODEV when there is none. */
static int link_get(int fd, const char *name, int index, struct link *ret)
{
    struct req r;
    struct ifinfomsg *i = req_init(&r, RTM_GETLINK, 0, sizeof(*i));
    int rc;

    i->ifi_family = AF_UNSPEC;
    i->ifi_index = index;
    if (name && (rc = req_put(&r, IFLA_IFNAME, name, strlen(name) + 1)) < 0)
        return rc;
    memset(ret, 0, sizeof(*ret));
    rc = nl_talk(fd, &r, parse_link, ret);
    return rc < 0 ? rc : ret->index > 0 ? 0 : -ENODEV;
}

/* up: 1 up, 0 down, -1 unchanged; name and netns_fd (>= 0) as set. */
static int link_set(int fd, int index, int up, const char *name, int netns_fd)
{
    struct req r;
    struct ifinfomsg *i = req_init(&r, RTM_NEWLINK, 0, sizeof(*i));
    uint32_t ns = (uint32_t)netns_fd;
    int rc = 0;

    i->ifi_family = AF_UNSPEC;
    i->ifi_index = index;
    if (up >= 0) {
        i->ifi_change = IFF_UP;
        i->ifi_flags = up ? IFF_UP : 0;
    }
    if (name)
        rc = req_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
    if (rc == 0 && netns_fd >= 0)
        rc = req_put(&r, IFLA_NET_NS_FD, &ns, sizeof(ns));
    return rc < 0 ? rc : nl_talk(fd, &r, NULL, NULL);
}

/* config-linux.md: "all permanent IP addresses (IFA_F_PERMANENT flag) of
 * any family with global scope (RT_SCOPE_UNIVERSE value)" are carried; the
 * other permanent ones are kept too, for a move undone. */
static int save_addr(const struct nlmsghdr *m, void *data)
{
    const struct ifaddrmsg *ifa = NLMSG_DATA(m);
    struct moved *d = data;
    struct saved_addr *s;
    uint32_t flags = ifa->ifa_flags;
    int len = (int)IFA_PAYLOAD(m);

    if (m->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != d->host_index)
        return 0;
    for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
        if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) >= sizeof(uint32_t))
            memcpy(&flags, RTA_DATA(a), sizeof(flags));
    if (!(flags & IFA_F_PERMANENT))
        return 0;
    if (d->naddrs == ADDRS_MAX)
        return -E2BIG;
    s = &d->addrs[d->naddrs];
    memset(s, 0, sizeof(*s));
    s->carry = ifa->ifa_scope == RT_SCOPE_UNIVERSE;
    s->ifa = *ifa;
    s->ifa.ifa_flags = 0;
    len = (int)IFA_PAYLOAD(m);
    for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type != IFA_LOCAL && a->rta_type != IFA_ADDRESS && a->rta_type != IFA_BROADCAST)
            continue;
        if (s->len + RTA_ALIGN(a->rta_len) > sizeof(s->attrs))
            return -E2BIG;
        memcpy(s->attrs + s->len, a, a->rta_len);
        s->len += RTA_ALIGN(a->rta_len);
    }
    d->naddrs++;
    return 0;
}

static int addrs_save(int fd, struct moved *d)
{
    struct req r;
    struct ifaddrmsg *ifa = req_init(&r, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa));

    ifa->ifa_family = AF_UNSPEC;
    d->naddrs = 0;
    return nl_talk(fd, &r, save_addr, d);
}

static int addr_add(int fd, int index, const struct saved_addr *s)
{
    struct req r;
    struct ifaddrmsg *ifa = req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
    size_t off = NLMSG_ALIGN(r.h.nlmsg_len);

    *ifa = s->ifa;
    ifa->ifa_index = (uint32_t)index;
    if (off + s->len > sizeof(r.buf))
        return -ENOBUFS;
    memcpy(r.buf + off, s->attrs, s->len);
    r.h.nlmsg_len = (uint32_t)(off + s->len);
    return nl_talk(fd, &r, NULL, NULL);
}

/* Two ioctls on a datagram socket rather than rtnetlink: every create with
 * a network namespace runs this, and netlink's receive buffer alone would
 * add to the init's peak memory. */
int berth_netns_loopback_up(berth_error_t *err)
{
    _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {.ifr_name = "lo"};

    if (fd < 0)
        return berth_error_errno(err, "loopback: socket");
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        return berth_error_errno(err, "loopback: get the flags of `lo`");
    if (ifr.ifr_flags & IFF_UP)
        return 0;
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
        return berth_error_errno(err, "loopback: set `lo` up");
    return 0;
}

/* ---- moving ------------------------------------------------------------- */

static bool is_template(const char *name)
{
    return strstr(name, "%d") != NULL;
}

/* Whether name is what the template t (one "%d") can give. */
static bool fits(const char *t, const char *name)
{
    const char *pct = strstr(t, "%d");
    size_t pre = (size_t)(pct - t), post = strlen(pct + 2), len = strlen(name);

    if (len <= pre + post || strncmp(name, t, pre) != 0 || strcmp(name + len - post, pct + 2) != 0)
        return false;
    for (size_t i = pre; i < len - post; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

/* The moved device in the container's namespace: the kernel keeps its
 * index unless the namespace already uses it; then by name. */
static int find_moved(int ct, struct moved *d)
{
    struct link l;

    if (link_get(ct, NULL, d->host_index, &l) == 0 &&
        (is_template(d->want) ? fits(d->want, l.name) : strcmp(l.name, d->want) == 0)) {
        d->index = l.index;
        snprintf(d->name, sizeof(d->name), "%s", l.name);
        return 0;
    }
    if (is_template(d->want) || link_get(ct, d->want, 0, &l) < 0)
        return -ENODEV;
    d->index = l.index;
    snprintf(d->name, sizeof(d->name), "%s", l.name);
    return 0;
}

static int move_one(int host, int ct, int ct_ns, struct moved *d, berth_error_t *err)
{
    int r;

    /* The addresses before the link goes down: a down link loses its IPv6
     * addresses (net.ipv6.conf.*.keep_addr_on_down is 0 by default), and
     * the spec asks for every family's. Then down, as runc: nothing on the
     * host uses it mid-move. */
    if ((r = addrs_save(host, d)) < 0)
        return berth_error_make(err, -r, "netDevices: read the addresses of `%s`", d->host_name);
    if ((r = link_set(host, d->host_index, 0, NULL, -1)) < 0)
        return berth_error_make(err, -r, "netDevices: set `%s` down", d->host_name);
    /* Move and rename in one request: no moment where either name could
     * clash in the wrong namespace. */
    if ((r = link_set(host, d->host_index, -1, d->want, ct_ns)) < 0)
        return berth_error_make(err, -r,
                                "netDevices: move `%s` into the container's network namespace "
                                "as `%s`",
                                d->host_name, d->want);
    d->moved = true;
    if ((r = find_moved(ct, d)) < 0)
        return berth_error_make(err, -r,
                                "netDevices: `%s` is not in the container's network namespace "
                                "after the move",
                                d->want);
    for (size_t i = 0; i < d->naddrs; i++)
        if (d->addrs[i].carry && (r = addr_add(ct, d->index, &d->addrs[i])) < 0)
            return berth_error_make(err, -r, "netDevices: add address %zu of `%s` to `%s`", i + 1,
                                    d->host_name, d->name);
    /* config-linux.md: "MUST set the network device state to up". */
    if ((r = link_set(ct, d->index, 1, NULL, -1)) < 0)
        return berth_error_make(err, -r, "netDevices: set `%s` up", d->name);
    return 0;
}

/* config-linux.md: "MUST check if moving the network interface to the
 * container namespace is possible": every host device is there, and no
 * name asked for is taken (a "%d" template the kernel completes). */
static int check_all(int host, int ct, struct berth_netdevs *d, berth_error_t *err)
{
    for (size_t i = 0; i < d->n; i++) {
        struct moved *m = &d->dev[i];
        struct link l;
        int r = link_get(host, m->host_name, 0, &l);

        if (r < 0)
            return berth_error_make(err, -r, "netDevices: host interface `%s`", m->host_name);
        m->host_index = l.index;
        m->was_up = l.flags & IFF_UP;
        if (!is_template(m->want) && link_get(ct, m->want, 0, &l) == 0)
            return berth_error_make(err, EEXIST,
                                    "netDevices: `%s` already exists in the container's network "
                                    "namespace",
                                    m->want);
    }
    return 0;
}

void berth_netdevs_free(struct berth_netdevs *d)
{
    if (!d)
        return;
    safe_close(d->host_ns);
    safe_close(d->ct_ns);
    free(d);
}

/* Back where it came from, as it was there: name, addresses, up state.
 * Each step is best effort; what cannot be restored stays where it is. */
static void undo_one(int host, int ct, int host_ns, struct moved *d)
{
    struct link l;

    if (d->moved && link_set(ct, d->index, 0, d->host_name, host_ns) < 0)
        return;
    if (link_get(host, d->host_name, 0, &l) < 0)
        return;
    for (size_t i = 0; d->moved && i < d->naddrs; i++)
        (void)addr_add(host, l.index, &d->addrs[i]);
    if (d->was_up)
        (void)link_set(host, l.index, 1, NULL, -1);
}

static void undo(struct berth_netdevs *d, int host, int ct, size_t upto)
{
    for (size_t i = upto; i-- > 0;)
        undo_one(host, ct, d->host_ns, &d->dev[i]);
}

void berth_netdevs_undo(struct berth_netdevs *d)
{
    _cleanup_close_ int host = -1, ct = -1;

    if (!d)
        return;
    host = nl_open();
    ct = nl_open_in(d->ct_ns);
    if (host >= 0 && ct >= 0)
        undo(d, host, ct, d->n);
    berth_netdevs_free(d);
}

int berth_netdevs_move(const oci_linux *l, int netns_fd, struct berth_netdevs **ret,
                       berth_error_t *err)
{
    struct berth_netdevs *d;
    _cleanup_close_ int host = -1, ct = -1;
    int r;

    *ret = NULL;
    if (!l || !l->netDevices.keys || l->netDevices.len == 0)
        return 0;
    d = calloc(1, sizeof(*d) + l->netDevices.len * sizeof(d->dev[0]));
    if (!d)
        return berth_error_make(err, ENOMEM, "netDevices");
    d->n = l->netDevices.len;
    d->host_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    d->ct_ns = fcntl(netns_fd, F_DUPFD_CLOEXEC, 3);
    for (size_t i = 0; i < d->n; i++) {
        const oci_net_device *v = l->netDevices.values[i];
        d->dev[i].host_name = l->netDevices.keys[i];
        d->dev[i].want = v && v->name && *v->name ? v->name : l->netDevices.keys[i];
    }
    if (d->host_ns < 0 || d->ct_ns < 0) {
        r = berth_error_errno(err, "netDevices: open the network namespaces");
        goto fail;
    }
    host = nl_open();
    ct = nl_open_in(netns_fd);
    if (host < 0 || ct < 0) {
        r = berth_error_make(err, -(host < 0 ? host : ct), "netDevices: rtnetlink socket");
        goto fail;
    }
    if ((r = check_all(host, ct, d, err)) < 0)
        goto fail;
    for (size_t i = 0; i < d->n; i++)
        if ((r = move_one(host, ct, d->ct_ns, &d->dev[i], err)) < 0) {
            /* Nothing half-moved: this one and those before go back. */
            undo(d, host, ct, i + 1);
            goto fail;
        }
    *ret = d;
    return 0;
fail:
    berth_netdevs_free(d);
    return r;
}
