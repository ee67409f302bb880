/*
 * ls -l: list each directory named in argv (opendir/readdir/stat/lstat),
 * sorted by name, with type, permissions, link count, size and mtime; the
 * test fixes all of those, so both runs must agree byte for byte.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void mode_string(mode_t m, char *s)
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISREG(m) ? '-' : '?';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
	s[10] = 0;
}

static int list(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = realloc(names, cap * sizeof *names);
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	printf("%s:\n", path);
	for (size_t i = 0; i < n; i++) {
		char full[4096], mode[11], when[32];
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		struct stat st;
		if (lstat(full, &st) != 0) {
			perror(full);
			continue;
		}
		mode_string(st.st_mode, mode);
		struct tm tm;
		gmtime_r(&st.st_mtime, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		printf("%s %2lu %8lld %s %s", mode, (unsigned long)st.st_nlink,
		       (long long)st.st_size, when, names[i]);
		if (S_ISLNK(st.st_mode)) {
			char target[256];
			ssize_t k = readlink(full, target, sizeof target - 1);
			target[k > 0 ? k : 0] = 0;
			printf(" -> %s", target);
		}
		printf("\n");
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;
	for (int i = 1; i < argc; i++)
		bad |= list(argv[i]);
	if (argc < 2)
		bad = list(".");
	return bad;
}
