// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The BTF of kernel modules: split BTF over the vmlinux BTF.
 *
 * A loaded module's BTF is /sys/kernel/btf/MODULE (kernel/bpf/sysfs_btf.c
 * for vmlinux, btf_module_notify() in kernel/bpf/btf.c for modules, 5.11+):
 * its type ids continue vmlinux's and its name offsets continue vmlinux's
 * string section, so it only means something over the very vmlinux BTF it
 * was made against (pahole -j --btf_base vmlinux, scripts/Makefile.modfinal).
 * A module that is not loaded has the same bytes in the .BTF section of its
 * file, found through libkmod (modules.dep of /lib/modules/R); Debian's 6.1
 * packages ship plain .ko files, later ones .ko.xz, which image.c inflates.
 *
 * libkmod is loaded with dlopen() here too (see probes/kmod.c): featprobe's
 * start must not pay for libcrypto.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <libkmod.h>

#include "layout-internal.h"

/* Bigger module files are refused (EFBIG): Debian's biggest 6.1 module
 * (amdgpu.ko) is about 40 MB uncompressed. */
#define MODULE_FILE_MAX (256u << 20)

struct feat_modules {
	struct feat_module_btf **v;
	size_t n;
	/* /sys/kernel/btf, read once */
	bool loaded_listed;
	char **loaded;
	size_t n_loaded;
	/* the module files of the release, read once */
	bool files_listed;
	int files_err;
	struct feat_module_file *files;
	size_t n_files;
	struct feat_btf_index *base_index; /* vmlinux's, shared by the module indexes */
};

static void module_btf_free(struct feat_module_btf *m)
{
	if (!m)
		return;
	feat_btf_index_free(m->index);
	feat_namer_free(m->namer);
	btf__free(m->btf);
	free(m->name);
	free(m->source);
	free(m);
}

void feat_modules_free(struct feat_modules *mods)
{
	if (!mods)
		return;
	for (size_t i = 0; i < mods->n; i++)
		module_btf_free(mods->v[i]);
	free(mods->v);
	for (size_t i = 0; i < mods->n_loaded; i++)
		free(mods->loaded[i]);
	free(mods->loaded);
	for (size_t i = 0; i < mods->n_files; i++) {
		free(mods->files[i].name);
		free(mods->files[i].path);
	}
	free(mods->files);
	feat_btf_index_free(mods->base_index);
	free(mods);
}

static struct feat_modules *modules_of(struct feat_ctx *ctx)
{
	if (!ctx->modules)
		ctx->modules = calloc(1, sizeof(*ctx->modules));
	return ctx->modules;
}

/* The kernel's name of a module: KBUILD_MODNAME has '_' where the file
 * name may have '-' (scripts/Makefile.lib, modname_flags). */
void feat_module_name_normalize(char *name)
{
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
}

static bool module_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= 56) /* MODULE_NAME_LEN is 64 - sizeof(unsigned long) */
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			return false;
	return true;
}

/*
 * What tells a module's BTF made over another vmlinux: its name offsets
 * below its own strings then land inside the wrong base's strings, and
 * its own are shifted by the difference of the two bases' string sizes.
 * Every name of a type, member, parameter or enumerator must start a
 * string and be an identifier (the kernel checks identifiers too,
 * btf_name_valid_identifier()). On top of feat_btf_validate()'s ids.
 */
static bool name_ok(const struct btf *btf, uint32_t off, bool dots)
{
	const char *s = btf__name_by_offset(btf, off);

	if (!s)
		return false;
	if (!*s)
		return true;
	if (s[-1] != '\0')
		return false;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || (dots && *s == '.')))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || (dots && (*s == '.' || *s == '$'))))
			return false;
	return true;
}

static int module_btf_check(const struct btf *btf)
{
	uint32_t first = btf__type_cnt(btf__base_btf(btf)), n = btf__type_cnt(btf);
	int r = feat_btf_validate(btf);

	if (r < 0)
		return r;
	for (uint32_t id = first; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		unsigned int vlen = btf_vlen(t);

		/* Section and variable names are not identifiers (".data..percpu"). */
		if (!name_ok(btf, t->name_off, btf_is_datasec(t) || btf_is_var(t)))
			return -EBADMSG;
		for (unsigned int i = 0; i < vlen; i++) {
			uint32_t off = 0;

			if (btf_is_composite(t))
				off = btf_members(t)[i].name_off;
			else if (btf_is_func_proto(t))
				off = btf_params(t)[i].name_off;
			else if (btf_is_enum(t))
				off = btf_enum(t)[i].name_off;
			else if (btf_is_enum64(t))
				off = btf_enum64(t)[i].name_off;
			if (off && !name_ok(btf, off, false))
				return -EBADMSG;
		}
	}
	return 0;
}

/*
 * libbpf 1.1 (bookworm's) declares btf__new_split() but does not export
 * it (it joined libbpf.map in 1.3): its raw file parser takes the bytes
 * instead, through a memfd.
 */
static struct btf *split_from_bytes(struct feat_ctx *ctx, const void *data, size_t size,
				    struct btf *base, int *err)
{
	libbpf_print_fn_t old;
	char path[64];
	struct btf *btf;
	size_t done = 0;
	int fd;

	fd = memfd_create("libfeat-module-btf", MFD_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	while (done < size) {
		ssize_t n = write(fd, (const char *)data + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = n < 0 ? -errno : -EIO;
			close(fd);
			return NULL;
		}
		done += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	old = feat_libbpf_log_begin(ctx);
	errno = 0;
	btf = btf__parse_raw_split(path, base);
	/* libbpf's own codes (LIBBPF_ERRNO__*, 4000 and up) mean "not BTF". */
	*err = btf ? 0 : errno && errno < 4000 ? -errno : -EBADMSG;
	feat_libbpf_log_end(old);
	close(fd);
	return btf;
}

/* Split BTF over the context's vmlinux BTF from @data. */
static int module_btf_new(struct feat_ctx *ctx, const char *source, const void *data, size_t size,
			  struct btf **out)
{
	struct btf *base, *btf;
	int e, r;

	base = feat_btf_get(ctx, &e);
	if (!base) {
		err(ctx, "%s: no vmlinux BTF to read it over: %s\n", source, strerror(e));
		return -ENODATA;
	}
	if (size < sizeof(uint32_t) * 6 || size > UINT32_MAX) {
		err(ctx, "%s: %zu bytes: too short for BTF\n", source, size);
		return -EBADMSG;
	}
	btf = split_from_bytes(ctx, data, size, base, &r);
	if (!btf) {
		err(ctx, "%s: not BTF: %s\n", source, strerror(-r));
		return r;
	}
	if (btf__type_cnt(btf) <= btf__type_cnt(base) && btf__type_cnt(btf) > 1) {
		/* An empty module BTF is fine; fewer types is not. */
		btf__free(btf);
		err(ctx, "%s: not split BTF over the vmlinux BTF\n", source);
		return -EBADMSG;
	}
	r = module_btf_check(btf);
	if (r < 0) {
		btf__free(btf);
		err(ctx, "%s: not split BTF over this vmlinux BTF (made against another kernel build?)\n",
		    source);
		return r;
	}
	*out = btf;
	return 0;
}

/* The path as under the root, for messages. */
static const char *display_path(const struct feat_ctx *ctx, const char *path)
{
	size_t len = ctx->root ? strlen(ctx->root) : 0;

	if (len && strncmp(path, ctx->root, len) == 0 && path[len] == '/')
		return path + len;
	return path;
}

/*
 * The .BTF bytes of module file @path (a real path): malloc()ed in *data.
 * Plain ELF, or compressed (gzip, xz, zstd: image.c inflates them).
 */
static int module_file_btf(struct feat_ctx *ctx, const char *path, void **data, size_t *size)
{
	const char *source = display_path(ctx, path);
	char why[PATH_MAX + 128] = "";
	uint8_t head[64];
	const void *sec;
	struct stat st;
	ssize_t n;
	void *map;
	int fd, r;

	/* O_NONBLOCK: a FIFO in place of the module must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		err(ctx, "%s: %s\n", source, strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		err(ctx, "%s: not a regular file\n", source);
		goto out;
	}
	if ((uint64_t)st.st_size > MODULE_FILE_MAX) {
		r = -EFBIG;
		err(ctx, "%s: %lld bytes: too big for a module\n", source, (long long)st.st_size);
		goto out;
	}
	n = pread(fd, head, sizeof(head), 0);
	if (n >= SELFMAG && memcmp(head, ELFMAG, SELFMAG) == 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			r = -errno;
			err(ctx, "%s: mmap: %s\n", source, strerror(-r));
			goto out;
		}
		r = feat_elf_btf_section(source, map, (size_t)st.st_size, &sec, size, why, sizeof(why));
		if (r == -ENODATA)
			snprintf(why, sizeof(why), "%s: no .BTF section (built without CONFIG_DEBUG_INFO_BTF_MODULES?)",
				 source);
		if (r == 0) {
			*data = malloc(*size);
			if (*data)
				memcpy(*data, sec, *size);
			else
				r = -ENOMEM;
		}
		munmap(map, (size_t)st.st_size);
	} else if (n > 0 && feat_image_kind(head, (size_t)n) &&
		   strcmp(feat_image_kind(head, (size_t)n), "bzImage") != 0) {
		char iwhy[256];

		r = feat_image_btf(fd, data, size, iwhy, sizeof(iwhy));
		if (r == -ENODATA)
			snprintf(why, sizeof(why), "%s: no .BTF section (built without CONFIG_DEBUG_INFO_BTF_MODULES?)",
				 source);
		else if (r < 0)
			snprintf(why, sizeof(why), "%s: %s", source, iwhy);
	} else {
		r = -EBADMSG;
		snprintf(why, sizeof(why), "%s: %s", source,
			 n < SELFMAG ? "too short for a module file" : "neither an ELF module nor a compressed one");
	}
	if (r < 0 && why[0])
		err(ctx, "%s\n", why);
out:
	close(fd);
	return r;
}

static struct feat_module_btf *cached(struct feat_modules *mods, const char *name, bool loaded)
{
	for (size_t i = 0; i < mods->n; i++)
		if (mods->v[i]->loaded == loaded && strcmp(mods->v[i]->name, name) == 0)
			return mods->v[i];
	return NULL;
}

/* @name checked and made the kernel's module name in @mname; 1 with *out
 * set when the context already has this BTF of it. */
static int module_key(struct feat_modules *mods, const char *name, bool loaded, char *mname,
		      size_t size, struct feat_module_btf **out)
{
	if (!mods)
		return -ENOMEM;
	if (!module_name_ok(name))
		return -EINVAL;
	snprintf(mname, size, "%s", name);
	feat_module_name_normalize(mname);
	*out = cached(mods, mname, loaded);
	return *out != NULL;
}

static int cache_add(struct feat_ctx *ctx, struct feat_modules *mods, const char *name,
		     const char *source, bool loaded, struct btf *btf, struct feat_module_btf **out)
{
	struct feat_module_btf *m = calloc(1, sizeof(*m)), **v;

	if (!m || !(m->name = strdup(name)) || !(m->source = strdup(source)) ||
	    !(v = realloc(mods->v, (mods->n + 1) * sizeof(*v)))) {
		module_btf_free(m);
		btf__free(btf);
		return -ENOMEM;
	}
	(void)ctx;
	m->loaded = loaded;
	m->btf = btf;
	m->err = btf ? 0 : -EBADMSG;
	mods->v = v;
	mods->v[mods->n++] = m;
	*out = m;
	return 0;
}

int feat_module_btf_loaded(struct feat_ctx *ctx, const char *name, struct feat_module_btf **out)
{
	struct feat_modules *mods = modules_of(ctx);
	char path[PATH_MAX], mname[64];
	struct btf *btf;
	size_t size;
	char *data;
	int r;

	r = module_key(mods, name, true, mname, sizeof(mname), out);
	if (r)
		return r < 0 ? r : (*out)->err;
	/* The running kernel's module BTF is in sysfs; a target named by
	 * files alone has no loaded module. */
	if ((ctx->flags & FEAT_F_OFFLINE) && !ctx->root)
		return -ENOENT;
	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", mname);
	r = feat_read_file(ctx, path, FEAT_FILE_MAX, &data, &size);
	if (r == -ENOENT)
		return r;
	if (r < 0) {
		err(ctx, "%s: %s\n", path,
		    r == -EINVAL ? "not a regular file" : strerror(-r));
		return r;
	}
	/* Most modules have no tracepoint: no parse for them. */
	r = memmem(data, size, "btf_trace_", 10) ? module_btf_new(ctx, path, data, size, &btf) : -ENOMSG;
	free(data);
	if (r < 0) {
		/* Remembered, so that it is said once. */
		if (r != -ENOMEM && cache_add(ctx, mods, mname, path, true, NULL, out) == 0)
			(*out)->err = r;
		return r;
	}
	return cache_add(ctx, mods, mname, path, true, btf, out);
}

/* --- libkmod, loaded on demand --- */

struct kmod_api {
	void *handle;
	struct kmod_ctx *(*new)(const char *dirname, const char *const *config_paths);
	struct kmod_ctx *(*unref)(struct kmod_ctx *ctx);
	int (*lookup)(struct kmod_ctx *ctx, const char *alias, struct kmod_list **list);
	struct kmod_module *(*get_module)(const struct kmod_list *entry);
	struct kmod_list *(*list_next)(const struct kmod_list *list, const struct kmod_list *curr);
	const char *(*get_path)(const struct kmod_module *mod);
	const char *(*get_name)(const struct kmod_module *mod);
	struct kmod_module *(*mod_unref)(struct kmod_module *mod);
	int (*unref_list)(struct kmod_list *list);
};

static int kmod_api_open(struct kmod_api *k, char *why, size_t size)
{
	k->handle = dlopen("libkmod.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!k->handle) {
		snprintf(why, size, "libkmod.so.2 cannot be loaded: %s", dlerror());
		return -ENOENT;
	}
#define SYM(field, name) k->field = (__typeof__(k->field))dlsym(k->handle, name)
	SYM(new, "kmod_new");
	SYM(unref, "kmod_unref");
	SYM(lookup, "kmod_module_new_from_lookup");
	SYM(get_module, "kmod_module_get_module");
	SYM(list_next, "kmod_list_next");
	SYM(get_path, "kmod_module_get_path");
	SYM(get_name, "kmod_module_get_name");
	SYM(mod_unref, "kmod_module_unref");
	SYM(unref_list, "kmod_module_unref_list");
#undef SYM
	if (!k->new || !k->unref || !k->lookup || !k->get_module || !k->list_next || !k->get_path ||
	    !k->get_name || !k->mod_unref || !k->unref_list) {
		snprintf(why, size, "libkmod.so.2 lacks a kmod_module_* function");
		dlclose(k->handle);
		return -ENOSYS;
	}
	return 0;
}

/* /lib/modules/R under the root, as a real path. */
static int modules_dir(struct feat_ctx *ctx, char *buf, size_t size)
{
	const char *release = feat_kversion(ctx)->release;
	char dir[PATH_MAX];

	if (!release)
		return -ENOENT;
	snprintf(dir, sizeof(dir), "/lib/modules/%s", release);
	if (!ctx->root) {
		snprintf(buf, size, "%s", dir);
		return 0;
	}
	return feat_path(ctx, dir, buf, size) ? 0 : -ENAMETOOLONG;
}

/* The file of module @name through libkmod: a real path in @path. */
static int kmod_find(struct feat_ctx *ctx, const char *name, char *path, size_t size)
{
	static const char *const no_config[] = { NULL };
	struct kmod_list *list = NULL, *l;
	struct kmod_ctx *kctx;
	struct kmod_api k;
	char dir[PATH_MAX], why[PATH_MAX + 64];
	int r;

	r = modules_dir(ctx, dir, sizeof(dir));
	if (r < 0) {
		err(ctx, "module %s: no kernel release known to find its file by\n", name);
		return r;
	}
	r = kmod_api_open(&k, why, sizeof(why));
	if (r < 0) {
		err(ctx, "module %s: %s\n", name, why);
		return r;
	}
	kctx = k.new(dir, no_config);
	if (!kctx) {
		err(ctx, "module %s: kmod_new(%s) failed\n", name, display_path(ctx, dir));
		dlclose(k.handle);
		return -ENOMEM;
	}
	r = k.lookup(kctx, name, &list);
	if (r < 0) {
		err(ctx, "module %s: libkmod cannot look it up in %s: %s\n", name,
		    display_path(ctx, dir), strerror(-r));
	} else {
		r = -ENOENT;
		for (l = list; l; l = k.list_next(list, l)) {
			struct kmod_module *mod = k.get_module(l);
			const char *p = k.get_path(mod);

			if (r == -ENOENT && p) {
				snprintf(path, size, "%s", p);
				r = 0;
			} else if (r == -ENOENT && !p) {
				/* Built in (modules.builtin): vmlinux's BTF has it. */
				r = -ENOEXEC;
			}
			k.mod_unref(mod);
		}
		k.unref_list(list);
		if (r == -ENOENT)
			err(ctx, "module %s: not found in %s/modules.dep\n", name, display_path(ctx, dir));
		else if (r == -ENOEXEC)
			err(ctx, "module %s is built into the kernel: its tracepoints are in vmlinux\n",
			    name);
	}
	k.unref(kctx);
	dlclose(k.handle);
	return r;
}

/* -ENOMSG, quietly, when the module has no tracepoint: its strings lack
 * "btf_trace_" (most modules: not worth a parse). */
static int from_file(struct feat_ctx *ctx, struct feat_modules *mods, const char *name,
		     const char *path, struct feat_module_btf **out)
{
	struct btf *btf;
	size_t size;
	void *data;
	int r;

	r = module_file_btf(ctx, path, &data, &size);
	if (r == 0 && !memmem(data, size, "btf_trace_", 10)) {
		free(data);
		r = -ENOMSG;
	} else if (r == 0) {
		r = module_btf_new(ctx, display_path(ctx, path), data, size, &btf);
		free(data);
	}
	if (r < 0) {
		/* Remembered, so that it is said once. */
		if (r != -ENOMEM && cache_add(ctx, mods, name, display_path(ctx, path), false, NULL, out) == 0)
			(*out)->err = r;
		return r;
	}
	return cache_add(ctx, mods, name, display_path(ctx, path), false, btf, out);
}

static int file_cmp(const void *a, const void *b);

/* Whether depmod has indexed /lib/modules/R (libkmod needs it). */
static bool modules_dep_exists(struct feat_ctx *ctx)
{
	const char *release = feat_kversion(ctx)->release;
	char dep[PATH_MAX];

	if (!release)
		return true; /* kmod_find() says what is missing */
	snprintf(dep, sizeof(dep), "/lib/modules/%s/modules.dep", release);
	return feat_access(ctx, dep, F_OK) != -ENOENT;
}

int feat_module_btf_file(struct feat_ctx *ctx, const char *name, struct feat_module_btf **out)
{
	struct feat_modules *mods = modules_of(ctx);
	char path[PATH_MAX], mname[64];
	int r;

	r = module_key(mods, name, false, mname, sizeof(mname), out);
	if (r)
		return r < 0 ? r : (*out)->err;
	if (!modules_dep_exists(ctx)) {
		const struct feat_module_file *files, *f;
		struct feat_module_file key = { .name = mname };
		size_t n;

		r = feat_modules_files(ctx, &files, &n);
		if (r < 0)
			return r;
		f = n ? bsearch(&key, files, n, sizeof(*files), file_cmp) : NULL;
		if (!f) {
			err(ctx, "module %s: no such file under /lib/modules/%s (and no modules.dep)\n", mname,
			    feat_kversion(ctx)->release);
			return -ENOENT;
		}
		return from_file(ctx, mods, mname, f->path, out);
	}
	r = kmod_find(ctx, mname, path, sizeof(path));
	if (r < 0)
		return r;
	return from_file(ctx, mods, mname, path, out);
}

int feat_module_btf_get(struct feat_ctx *ctx, const char *name, struct feat_module_btf **out)
{
	/* A loaded module without tracepoints (-ENOMSG) has none in its
	 * file either. */
	int r = feat_module_btf_loaded(ctx, name, out);

	return r == -ENOENT ? feat_module_btf_file(ctx, name, out) : r;
}

/* --- listing --- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int feat_modules_loaded(struct feat_ctx *ctx, char *const **names, size_t *n)
{
	struct feat_modules *mods = modules_of(ctx);
	struct dirent *de;
	int fd;
	DIR *d;

	if (!mods)
		return -ENOMEM;
	if (!mods->loaded_listed) {
		mods->loaded_listed = true;
		if (!((ctx->flags & FEAT_F_OFFLINE) && !ctx->root) &&
		    (fd = feat_open(ctx, "/sys/kernel/btf", O_RDONLY | O_DIRECTORY)) >= 0) {
			d = fdopendir(fd);
			if (!d)
				close(fd);
			while (d && (de = readdir(d))) {
				char **v;

				if (de->d_name[0] == '.' || strcmp(de->d_name, "vmlinux") == 0 ||
				    !module_name_ok(de->d_name))
					continue;
				v = realloc(mods->loaded, (mods->n_loaded + 1) * sizeof(*v));
				if (!v || !(v[mods->n_loaded] = strdup(de->d_name))) {
					if (v)
						mods->loaded = v;
					closedir(d);
					return -ENOMEM;
				}
				mods->loaded = v;
				mods->n_loaded++;
			}
			if (d)
				closedir(d);
		}
		if (mods->n_loaded)
			qsort(mods->loaded, mods->n_loaded, sizeof(*mods->loaded), str_cmp);
	}
	*names = mods->loaded;
	*n = mods->n_loaded;
	return 0;
}

bool feat_module_is_loaded(struct feat_ctx *ctx, const char *name)
{
	char *const *names;
	size_t n;

	if (feat_modules_loaded(ctx, &names, &n) < 0 || !n)
		return false;
	return bsearch(&name, names, n, sizeof(*names), str_cmp) != NULL;
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct feat_module_file *)a)->name,
		      ((const struct feat_module_file *)b)->name);
}

/* "kernel/block/kyber-iosched.ko.xz" -> "kyber_iosched" */
static bool module_name_of(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	const char *ko;

	base = base ? base + 1 : path;
	ko = strstr(base, ".ko");
	if (!ko || (ko[3] && ko[3] != '.') || (size_t)(ko - base) >= size || ko == base)
		return false;
	snprintf(name, size, "%.*s", (int)(ko - base), base);
	feat_module_name_normalize(name);
	return module_name_ok(name);
}

static int files_push(struct feat_modules *mods, const char *name, const char *path)
{
	struct feat_module_file *v, *f;

	v = realloc(mods->files, (mods->n_files + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	mods->files = v;
	f = &v[mods->n_files];
	f->name = strdup(name);
	f->path = strdup(path);
	if (!f->name || !f->path) {
		free(f->name);
		free(f->path);
		return -ENOMEM;
	}
	mods->n_files++;
	return 0;
}

/* Every NAME.ko[.gz|.xz|.zst] under @path (a real directory path), not
 * following symbolic links (/lib/modules/R/build points at a kernel
 * tree), at most @depth directories down. */
static int files_walk(struct feat_modules *mods, const char *path, int depth)
{
	struct dirent *de;
	int r = 0;
	DIR *d;

	if (depth > 8 || !(d = opendir(path)))
		return 0;
	while (r == 0 && (de = readdir(d))) {
		char sub[PATH_MAX], name[64];

		if (de->d_name[0] == '.' ||
		    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >= (int)sizeof(sub))
			continue;
		if (de->d_type == DT_DIR)
			r = files_walk(mods, sub, depth + 1);
		else if (de->d_type == DT_REG && module_name_of(de->d_name, name, sizeof(name)))
			r = files_push(mods, name, sub);
	}
	closedir(d);
	return r;
}

/*
 * Every module file of the release, from modules.dep (depmod's list,
 * the one libkmod reads: "PATH: DEPS" a line, PATH relative to
 * /lib/modules/R or absolute). Without modules.dep (an unpacked package:
 * depmod runs when it is installed), the files under /lib/modules/R.
 */
int feat_modules_files(struct feat_ctx *ctx, const struct feat_module_file **files, size_t *n)
{
	struct feat_modules *mods = modules_of(ctx);
	char dir[PATH_MAX], dep[PATH_MAX + 16], *text = NULL, *line, *save = NULL;
	const char *release;
	int r;

	if (!mods)
		return -ENOMEM;
	if (mods->files_listed) {
		*files = mods->files;
		*n = mods->n_files;
		return mods->files_err;
	}
	mods->files_listed = true;
	release = feat_kversion(ctx)->release;
	if (!release) {
		err(ctx, "module files: no kernel release known\n");
		return mods->files_err = -ENOENT;
	}
	r = modules_dir(ctx, dir, sizeof(dir));
	if (r < 0)
		return mods->files_err = r;
	snprintf(dep, sizeof(dep), "/lib/modules/%s/modules.dep", release);
	r = feat_read_file(ctx, dep, FEAT_FILE_MAX, &text, NULL);
	if (r == -ENOENT) {
		info(ctx, "%s: none (depmod has not run): the module files are those under /lib/modules/%s\n",
		     dep, release);
		r = files_walk(mods, dir, 0);
		if (r == 0 && mods->n_files == 0) {
			err(ctx, "/lib/modules/%s: no modules.dep and no module file\n", release);
			r = -ENOENT;
		}
	} else if (r < 0) {
		err(ctx, "%s: %s\n", dep, r == -EINVAL ? "not a regular file" : strerror(-r));
		return mods->files_err = r;
	}
	for (line = text ? strtok_r(text, "\n", &save) : NULL; r == 0 && line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), name[64], path[PATH_MAX];

		if (!colon)
			continue;
		*colon = '\0';
		if (!module_name_of(line, name, sizeof(name)))
			continue;
		if (line[0] != '/') {
			if (snprintf(path, sizeof(path), "%s/%s", dir, line) >= (int)sizeof(path))
				continue;
		} else if (!ctx->root)
			snprintf(path, sizeof(path), "%s", line);
		else if (!feat_path(ctx, line, path, sizeof(path)))
			continue;
		r = files_push(mods, name, path);
	}
	free(text);
	if (r == 0 && mods->n_files)
		qsort(mods->files, mods->n_files, sizeof(*mods->files), file_cmp);
	*files = mods->files;
	*n = mods->n_files;
	return mods->files_err = r;
}

int feat_module_btf_from_path(struct feat_ctx *ctx, const struct feat_module_file *f,
			      struct feat_module_btf **out)
{
	struct feat_modules *mods = modules_of(ctx);

	if (!mods)
		return -ENOMEM;
	if ((*out = cached(mods, f->name, false)))
		return (*out)->err;
	return from_file(ctx, mods, f->name, f->path, out);
}

/* --- per-module helpers --- */

const struct feat_btf_index *feat_module_btf_index(struct feat_ctx *ctx, struct feat_module_btf *m)
{
	struct feat_modules *mods = modules_of(ctx);

	if (m->index || !mods)
		return m->index;
	if (!mods->base_index) {
		struct btf *base = feat_btf_get(ctx, NULL);

		if (!base || !(mods->base_index = feat_btf_index_new(base)))
			return NULL;
	}
	m->index = feat_btf_index_new_split(m->btf, mods->base_index);
	return m->index;
}

struct feat_namer *feat_module_btf_namer(struct feat_module_btf *m)
{
	if (!m->namer)
		m->namer = feat_namer_new(m->btf);
	return m->namer;
}

int feat_module_btf_find_trace(struct feat_ctx *ctx, const char *name, const char *hint,
			       struct feat_module_btf **out)
{
	char tname[300], *const *names;
	struct feat_module_btf *m;
	size_t n;
	int r;

	if (snprintf(tname, sizeof(tname), "btf_trace_%s", name) >= (int)sizeof(tname))
		return -ENAMETOOLONG;
	/* A module's TRACE_SYSTEM is often its name (xfs:*, kvm:*): that
	 * one first. */
	if (hint && module_name_ok(hint) && feat_module_btf_loaded(ctx, hint, &m) == 0 &&
	    (m->index || feat_module_btf_index(ctx, m)) &&
	    feat_btf_find(m->btf, m->index, tname, BTF_KIND_TYPEDEF) > 0) {
		*out = m;
		return 0;
	}
	r = feat_modules_loaded(ctx, &names, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (feat_module_btf_loaded(ctx, names[i], &m) < 0)
			continue;
		if (!feat_module_btf_index(ctx, m))
			return -ENOMEM;
		if (feat_btf_find(m->btf, m->index, tname, BTF_KIND_TYPEDEF) > 0) {
			*out = m;
			return 0;
		}
	}
	return -ENOENT;
}
