/*
 * The machine's floor for any proxy: a C relay that parses nothing. Each client it
 * accepts gets its own upstream connection, and bytes are copied both ways as they
 * come, from one epoll loop. A Modbus proxy must do at least this much (two more
 * process wake-ups per request than a direct connection); the bench prints it
 * beside Bifrost's proxy so the proxy goals can be judged against the floor.
 *
 *   bareRelay UPSTREAM_PORT  ->  "listening PORT" on stdout; exits when stdin closes
 */
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 4096

static int peer_of[MAX_FDS];

static void add(int epoll, int fd) {
  struct epoll_event event = {.events = EPOLLIN, .data.fd = fd};
  epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

static void drop(int fd) {
  int peer = peer_of[fd];
  close(fd);
  if (peer > 0) close(peer);
  peer_of[fd] = 0;
  if (peer > 0) peer_of[peer] = 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: bareRelay UPSTREAM_PORT\n");
    return 2;
  }
  int one = 1;
  struct sockaddr_in upstream = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (bind(listener, (struct sockaddr *)&any, sizeof any) != 0 || listen(listener, 128) != 0) {
    perror("bareRelay: listen");
    return 1;
  }
  socklen_t length = sizeof any;
  getsockname(listener, (struct sockaddr *)&any, &length);
  printf("listening %d\n", ntohs(any.sin_port));
  fflush(stdout);
  int epoll = epoll_create1(0);
  add(epoll, listener);
  add(epoll, STDIN_FILENO);
  char buffer[65536];
  struct epoll_event events[64];
  for (;;) {
    int ready = epoll_wait(epoll, events, 64, -1);
    for (int i = 0; i < ready; i++) {
      int fd = events[i].data.fd;
      if (fd == STDIN_FILENO) {
        if (read(STDIN_FILENO, buffer, sizeof buffer) <= 0) return 0;  // the bench went away
        continue;
      }
      if (fd == listener) {
        int client = accept(listener, NULL, NULL);
        int device = socket(AF_INET, SOCK_STREAM, 0);
        if (client < 0 || client >= MAX_FDS || device >= MAX_FDS || connect(device, (struct sockaddr *)&upstream, sizeof upstream) != 0) {
          perror("bareRelay: accept or connect upstream");
          if (client >= 0) close(client);
          close(device);
          continue;
        }
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(device, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        peer_of[client] = device;
        peer_of[device] = client;
        add(epoll, client);
        add(epoll, device);
        continue;
      }
      ssize_t n = read(fd, buffer, sizeof buffer);
      if (n <= 0 || peer_of[fd] == 0 || write(peer_of[fd], buffer, n) != n) drop(fd);
    }
  }
}
