/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libfeat: kernel feature detection for BPF tracing.
 *
 * One context (struct feat_ctx) describes one kernel: the running one, a
 * target kernel described by files, or a fixture root tree. Probes answer
 * tri-state questions about it; feat_backend_choose() turns the answers into
 * the tracepoint backend a tracing session should use.
 *
 * Conventions, as in libkmod and libbpf:
 *  - functions that can fail return 0 (or a positive count) on success and a
 *    negative errno on failure;
 *  - constructors return NULL and set errno;
 *  - strings and results returned as const pointers are owned by the context
 *    (or by the object they were read from) and live as long as it;
 *  - the library never prints to stdout, never exits, and never leaves a
 *    file descriptor, mount, BPF program or link behind.
 */
#ifndef LIBFEAT_FEAT_H
#define LIBFEAT_FEAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FEAT_API __attribute__((visibility("default")))

struct feat_ctx;

/**
 * enum feat_state - a tri-state answer.
 * @FEAT_UNKNOWN: the probe could not tell (no privilege, sandbox, missing
 *	file); the result carries the errno and a sentence saying why.
 *	Zero, so that a result nobody filled in never reads as "no".
 * @FEAT_NO: the kernel (or its static evidence) said no.
 * @FEAT_YES: the kernel (or its static evidence) said yes.
 *
 * Since: 0.1
 */
enum feat_state {
	FEAT_UNKNOWN = 0,
	FEAT_NO = 1,
	FEAT_YES = 2,
};

/**
 * enum feat_id - the probes, in the order they are reported.
 *
 * FEAT_KVERSION and FEAT_KCONFIG describe the kernel rather than a feature;
 * their state is YES when the version or config could be found.
 * FEAT_LOCKDOWN is YES when the kernel is locked down (integrity or
 * confidentiality), NO when it is not.
 *
 * Since: 0.1
 */
enum feat_id {
	FEAT_KVERSION = 0,
	FEAT_KCONFIG,
	FEAT_BTF,
	FEAT_BPF,
	FEAT_RAW_TP,
	FEAT_TP_BTF,
	FEAT_TRACEPOINT,
	FEAT_TRACEFS,
	FEAT_LOCKDOWN,
	FEAT_KMOD,
	_FEAT_ID_COUNT,
};

/**
 * struct feat_result - the answer of one probe, owned by the context.
 * @sz: sizeof(struct feat_result) as the library knows it.
 * @id: the probe.
 * @state: can this caller use the feature now.
 * @kernel: does the kernel support it at all: the probe's own verdict when it
 *	ran to a verdict, else static evidence (kconfig, BTF enums, version).
 * @kernel_static: @kernel comes from static evidence, not from the probe.
 * @err: positive errno of the call that decided or failed, 0 when none;
 *	an UNKNOWN always has one (ENODEV: offline, nothing was probed).
 * @detail: one sentence of evidence, never NULL.
 * @source: where the evidence was read (a path or a call), never NULL.
 *
 * Fields are only ever added at the end.
 *
 * Since: 0.1
 */
struct feat_result {
	size_t sz;
	enum feat_id id;
	enum feat_state state;
	enum feat_state kernel;
	bool kernel_static;
	int err;
	const char *detail;
	const char *source;
};

/**
 * feat_log_fn - log callback.
 * @priority: a syslog priority (LOG_ERR, LOG_INFO, LOG_DEBUG).
 */
typedef void (*feat_log_fn)(void *data, int priority, const char *file,
			    int line, const char *fn, const char *format,
			    va_list args);

/* feat_opts.flags */
enum feat_flags {
	/* Probe nothing on the running kernel; answer from files only. */
	FEAT_F_OFFLINE = 1u << 0,
	/* Exercise the expensive paths too: a real classic tracepoint attach
	 * (perf_event_open + PERF_EVENT_IOC_SET_BPF), whose teardown costs tens
	 * of milliseconds because the kernel waits for the tracepoint to be
	 * unregistered. */
	FEAT_F_THOROUGH = 1u << 1,
	/* Neither read nor write the per-boot cache of kernel-invariant facts
	 * (BTF type ids; see feat_new()). $FEAT_NO_CACHE=1 does the same. */
	FEAT_F_NO_CACHE = 1u << 2,
};

/**
 * struct feat_opts - options of feat_new().
 * @sz: sizeof(struct feat_opts); zero-fill the rest.
 * @root: every path the library reads is looked up under this directory
 *	(fixture trees, an unpacked target). Implies %FEAT_F_OFFLINE.
 * @kconfig: the kernel config file (plain or gzip), read as given, not under
 *	@root. Without it: $FEAT_KCONFIG, then the usual places.
 * @btf: the vmlinux BTF file (raw BTF or an ELF with .BTF). Implies
 *	%FEAT_F_OFFLINE.
 * @release: the target kernel's release (uname -r). Implies %FEAT_F_OFFLINE.
 * @flags: %FEAT_F_OFFLINE, %FEAT_F_THOROUGH.
 * @log_fn: log callback; NULL logs to stderr at @log_priority and above.
 * @log_data: passed to @log_fn.
 * @log_priority: the lowest priority logged; 0 takes $FEAT_LOG (a number
 *	or err/info/debug) or LOG_ERR.
 * @target: an unpacked kernel package (dpkg-deb -x, rpm2cpio | cpio -id):
 *	DIR/boot/config-R, DIR/boot/vmlinuz-R (BTF is read from inside the
 *	compressed image) or a vmlinux, DIR/lib/modules/R (Fedora's config
 *	and vmlinuz are there), optionally a saved
 *	copy of the format files (featprobe export-formats) under
 *	DIR/sys/kernel/tracing. Read like @root (not with it); @release,
 *	when not given, is the one kernel release DIR/boot/{config,vmlinuz,
 *	vmlinux}-R and DIR/{,usr/}lib/modules/R name. Implies
 *	%FEAT_F_OFFLINE. feat_new() fails with ENOENT when DIR names no
 *	release, ENOTUNIQ when it names several (then pass @release).
 *
 * Since: 0.1
 */
struct feat_opts {
	size_t sz;
	const char *root;
	const char *kconfig;
	const char *btf;
	const char *release;
	unsigned int flags;
	feat_log_fn log_fn;
	void *log_data;
	int log_priority;
	const char *target;
};

/**
 * feat_new() - create a context.
 * @opts: options, or NULL for the running kernel with defaults.
 *
 * Probes nothing: every probe runs on first use and is cached in the context.
 *
 * For the running kernel, facts that cannot change until reboot and are
 * costly to find (the BTF type id the tp_btf probe attaches to) are also
 * kept in a per-boot cache file, keyed on the boot id and the identity of
 * the vmlinux BTF, in a directory only the caller can write:
 * $FEAT_CACHE_DIR, else /run/libfeat for root, else $XDG_RUNTIME_DIR/libfeat.
 * Every cached fact is checked against the kernel before use; no verdict
 * is ever cached.
 *
 * Return: a context with one reference, or NULL with errno set (EINVAL for
 * bad options, ENOMEM; for @target, ENOENT or ENOTUNIQ as said there, or
 * the error opening it).
 *
 * Since: 0.1
 */
FEAT_API struct feat_ctx *feat_new(const struct feat_opts *opts);

/** feat_ref() - take a reference. Return: @ctx. Since: 0.1 */
FEAT_API struct feat_ctx *feat_ref(struct feat_ctx *ctx);

/**
 * feat_unref() - drop a reference; the last one frees the context.
 * Return: NULL once freed, else @ctx.
 * Since: 0.1
 */
FEAT_API struct feat_ctx *feat_unref(struct feat_ctx *ctx);

/** feat_is_offline() - whether @ctx describes a kernel that is not running here. Since: 0.1 */
FEAT_API bool feat_is_offline(const struct feat_ctx *ctx);

/**
 * feat_probe() - run (once) and return one probe.
 * @ctx: the context.
 * @id: the probe.
 *
 * Never fails for a valid @id: a probe that cannot tell answers UNKNOWN.
 *
 * Return: the result, owned by @ctx; NULL with errno EINVAL for a bad @id.
 *
 * Since: 0.1
 */
FEAT_API const struct feat_result *feat_probe(struct feat_ctx *ctx,
					      enum feat_id id);

/** feat_id_name() - "bpf", "raw_tp", ...; NULL for a bad @id. Since: 0.1 */
FEAT_API const char *feat_id_name(enum feat_id id);

/** feat_id_from_name() - the probe named @name, or -EINVAL. Since: 0.1 */
FEAT_API int feat_id_from_name(const char *name);

/** feat_state_name() - "yes", "no" or "unknown". Since: 0.1 */
FEAT_API const char *feat_state_name(enum feat_state state);

/*
 * Kernel version.
 */

/**
 * struct feat_kversion - the kernel's version, owned by the context.
 * @sz: sizeof(struct feat_kversion).
 * @release: the release string (uname -r), NULL when unknown.
 * @version: "MAJOR.MINOR.PATCH" of the most trusted source, NULL when unknown.
 * @major: @minor: @patch: @version as numbers (0 when unknown).
 * @patch_known: false when only MAJOR.MINOR is known: a distribution's ABI
 *	release ("6.1.0-56-cloud-amd64", "5.15.0-91-generic") says .0 whatever
 *	the sublevel; @version is then "MAJOR.MINOR".
 * @source: the source of @version: "version_signature" (Ubuntu's
 *	/proc/version_signature), "uname -v" (Debian's "Debian 6.1.170-3"),
 *	"uname -r", "proc/version", or "release" (given in the options, or found in a
 *	feat_opts.target).
 * @code: LINUX_VERSION_CODE from the vDSO note (0 when unavailable); a
 *	cross-check only, its sublevel is clamped at 255.
 * @n_seen: number of entries in @seen_name / @seen_value.
 * @seen_name: every source seen, in order of trust.
 * @seen_value: what each source said.
 *
 * Since: 0.1
 */
struct feat_kversion {
	size_t sz;
	const char *release;
	const char *version;
	unsigned int major, minor, patch;
	const char *source;
	uint32_t code;
	size_t n_seen;
	const char *const *seen_name;
	const char *const *seen_value;
	bool patch_known;
};

/** feat_kversion() - the kernel version; never NULL. Since: 0.1 */
FEAT_API const struct feat_kversion *feat_kversion(struct feat_ctx *ctx);

/**
 * feat_kversion_parse() - extract MAJOR.MINOR[.PATCH] from a version string.
 * @source: "version_signature", "uname -v", "uname -r" or "proc/version":
 *	how to read @text.
 * @text: the string, as the kernel or the distribution wrote it.
 *
 * Return: 0; 1 when only MAJOR.MINOR can be trusted (@patch is then 0): a
 * release of the form X.Y.0-N..., which Debian, Ubuntu and RHEL use for
 * their ABI whatever the upstream sublevel; -EINVAL when @text holds no
 * version in @source's form.
 *
 * Since: 0.1
 */
FEAT_API int feat_kversion_parse(const char *source, const char *text,
				 unsigned int *major, unsigned int *minor,
				 unsigned int *patch);

/**
 * feat_kversion_at_least() - whether the kernel is at least MAJOR.MINOR.PATCH.
 *
 * A hint only: distributions backport features (RHEL) and the vDSO clamps
 * sublevels; probe the feature itself where a probe exists.
 *
 * Return: YES, NO, or UNKNOWN when no version could be found.
 * Since: 0.1
 */
FEAT_API enum feat_state feat_kversion_at_least(struct feat_ctx *ctx,
						unsigned int major,
						unsigned int minor,
						unsigned int patch);

/*
 * Kernel config.
 */

/**
 * feat_kconfig_get() - look up one config symbol.
 * @ctx: the context.
 * @name: "CONFIG_BPF" (the "CONFIG_" prefix may be omitted).
 * @value: set to the value as written ("y", "m", "4096", a string without
 *	its quotes), or "n" when the symbol is "is not set" or absent.
 *
 * Return: 0, or -ENOENT when no config file could be read (the source's
 * errno is in feat_probe(ctx, FEAT_KCONFIG)->err), -EINVAL for a bad @name.
 *
 * Since: 0.1
 */
FEAT_API int feat_kconfig_get(struct feat_ctx *ctx, const char *name,
			      const char **value);

/**
 * feat_kconfig_state() - whether a symbol is set.
 * Return: YES for y, m, a number or a non-empty string; NO for n, "is not
 * set", absent or an empty string; UNKNOWN without a config.
 * Since: 0.1
 */
FEAT_API enum feat_state feat_kconfig_state(struct feat_ctx *ctx,
					    const char *name);

/** feat_kconfig_source() - the config file read, or NULL. Since: 0.1 */
FEAT_API const char *feat_kconfig_source(struct feat_ctx *ctx);

/*
 * Details some probes expose beyond the result.
 */

/**
 * enum feat_lockdown - the kernel lockdown level
 * (/sys/kernel/security/lockdown).
 * Since: 0.1
 */
enum feat_lockdown {
	FEAT_LOCKDOWN_UNKNOWN = 0,
	FEAT_LOCKDOWN_NONE,
	FEAT_LOCKDOWN_INTEGRITY,
	FEAT_LOCKDOWN_CONFIDENTIALITY,
};

/** feat_lockdown_level() - the lockdown level. Since: 0.1 */
FEAT_API enum feat_lockdown feat_lockdown_level(struct feat_ctx *ctx);

/** feat_lockdown_name() - "none", "integrity", "confidentiality", "unknown". Since: 0.1 */
FEAT_API const char *feat_lockdown_name(enum feat_lockdown level);

/**
 * feat_tracefs_path() - where tracefs is mounted in the caller's mount
 * namespace, or NULL when it is not (the library then reads it through a
 * detached mount of its own). Since: 0.1
 */
FEAT_API const char *feat_tracefs_path(struct feat_ctx *ctx);

/**
 * feat_tracefs_open() - a directory fd on tracefs (its root), for the
 * caller to openat() into; the caller closes it.
 *
 * When tracefs is not mounted, this is a detached mount (fsopen/fsmount)
 * that no other process sees and that vanishes when the last fd on it is
 * closed. Nothing is ever mounted in the caller's namespace.
 *
 * Return: an fd, or a negative errno.
 * Since: 0.1
 */
FEAT_API int feat_tracefs_open(struct feat_ctx *ctx);

/*
 * Backend decision.
 */

/**
 * enum feat_backend - how a tracing session reaches a tracepoint.
 * @FEAT_BACKEND_NONE: none is usable.
 * @FEAT_BACKEND_TP_BTF: BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP.
 * @FEAT_BACKEND_RAW_TP: BPF_PROG_TYPE_RAW_TRACEPOINT.
 * @FEAT_BACKEND_TRACEPOINT: BPF_PROG_TYPE_TRACEPOINT (classic).
 * @FEAT_BACKEND_KMOD: a kernel module (SystemTap's traditional runtime).
 *
 * The default preference is the order of this enum:
 *  1. tp_btf: arguments are BTF-typed, so members behind pointers are read
 *     with direct loads the verifier checks, no helper call per hop, and it
 *     survives lockdown=confidentiality (no bpf_probe_read_kernel needed);
 *  2. raw_tp: the TP_PROTO arguments as they are, no record is built, no
 *     tracefs needed; every dereference is a bpf_probe_read_kernel call;
 *  3. tracepoint: the classic record, built by the tracepoint's own code on
 *     every hit; needs tracefs for event ids and one perf event per
 *     tracepoint; the only form of syscalls:* events;
 *  4. kmod: needs the kernel build tree, a compiler and module loading.
 *
 * Since: 0.1
 */
enum feat_backend {
	FEAT_BACKEND_NONE = 0,
	FEAT_BACKEND_TP_BTF,
	FEAT_BACKEND_RAW_TP,
	FEAT_BACKEND_TRACEPOINT,
	FEAT_BACKEND_KMOD,
	_FEAT_BACKEND_COUNT,
};

/** feat_backend_name() - "tp_btf", "raw_tp", "tracepoint", "kmod", "none". Since: 0.1 */
FEAT_API const char *feat_backend_name(enum feat_backend backend);

/** feat_backend_from_name() - the backend named @name, or -EINVAL. Since: 0.1 */
FEAT_API int feat_backend_from_name(const char *name);

/**
 * struct feat_policy - how to choose.
 * @sz: sizeof(struct feat_policy).
 * @order: backends in order of preference, ending at the first
 *	%FEAT_BACKEND_NONE (or after _FEAT_BACKEND_COUNT - 1 entries); all
 *	NONE takes the default order.
 * @force: when not NONE, this backend or nothing.
 * @kernel: choose by what the kernel supports (static evidence allowed)
 *	rather than by what this caller can use now; for configure scripts and
 *	offline targets.
 * @tracepoint: choose for this tracepoint ("SYS:NAME" or "NAME"): only
 *	backends whose form of it exists are offered (tp_btf and raw_tp need
 *	the raw form, tracepoint the classic one); NULL for the session.
 * @catalog: a catalog from feat_catalog_new() to look @tracepoint up in,
 *	or NULL to resolve @tracepoint's layout alone (feat_layout_resolve()).
 *
 * Since: 0.1
 */
struct feat_catalog;
struct feat_policy {
	size_t sz;
	enum feat_backend order[_FEAT_BACKEND_COUNT - 1];
	enum feat_backend force;
	bool kernel;
	const char *tracepoint;
	const struct feat_catalog *catalog;
};

struct feat_choice;

/**
 * feat_backend_choose() - choose the tracepoint backend.
 * @ctx: the context (its probes run as needed).
 * @policy: NULL for the default.
 * @choice: set to a new choice object; free with feat_choice_free().
 *
 * Return: 0 (even when the choice is %FEAT_BACKEND_NONE), -EINVAL for a bad
 * policy, -ENOENT or -ENOTUNIQ for a tracepoint name the catalog does not
 * resolve (feat_catalog_find()), -ENOMEM, or the catalog's error.
 *
 * Since: 0.1
 */
FEAT_API int feat_backend_choose(struct feat_ctx *ctx,
				 const struct feat_policy *policy,
				 struct feat_choice **choice);

/** feat_choice_backend() - the chosen backend. Since: 0.1 */
FEAT_API enum feat_backend feat_choice_backend(const struct feat_choice *choice);

/** feat_choice_reason_count() - how many reasons the choice gives. Since: 0.1 */
FEAT_API size_t feat_choice_reason_count(const struct feat_choice *choice);

/**
 * feat_choice_reason() - one reason: why @backend was taken or passed over.
 * Return: the sentence (owned by @choice), NULL past the end.
 * Since: 0.1
 */
FEAT_API const char *feat_choice_reason(const struct feat_choice *choice,
					size_t i, enum feat_backend *backend);

/** feat_choice_free() - free a choice; NULL is fine. Since: 0.1 */
FEAT_API void feat_choice_free(struct feat_choice *choice);

/*
 * Tracepoint catalog and layout.
 *
 * Every tracepoint of the kernel, joined from tracefs (events/SYS/NAME) and
 * BTF (typedef btf_trace_NAME, FUNC __probestub_NAME / __traceiter_NAME),
 * and both struct forms of one tracepoint: the classic record a
 * BPF_PROG_TYPE_TRACEPOINT program reads at R1 (from the format file), and
 * the raw argument slots a raw_tp / tp_btf program reads (from BTF).
 */

/**
 * enum feat_form - the struct forms of a tracepoint, as flags.
 * @FEAT_FORM_CLASSIC: the trace-event record (BPF_PROG_TYPE_TRACEPOINT).
 * @FEAT_FORM_RAW: the TP_PROTO arguments, one u64 slot each
 *	(BPF_PROG_TYPE_RAW_TRACEPOINT, and tp_btf).
 * @FEAT_FORM_BOTH: both.
 *
 * Since: 0.1
 */
enum feat_form {
	FEAT_FORM_CLASSIC = 1u << 0,
	FEAT_FORM_RAW = 1u << 1,
	FEAT_FORM_BOTH = FEAT_FORM_CLASSIC | FEAT_FORM_RAW,
};

/**
 * enum feat_dynamic - how a classic field holds a dynamic array.
 * @FEAT_DYNAMIC_NONE: it does not.
 * @FEAT_DYNAMIC_DATA_LOC: "__data_loc T[] name": a u32 whose low 16 bits
 *	are the data's offset from the record start, the high 16 its length.
 * @FEAT_DYNAMIC_REL_LOC: "__rel_loc T[] name" (5.19): the same, with the
 *	offset counted from the end of the field itself.
 *
 * Since: 0.1
 */
enum feat_dynamic {
	FEAT_DYNAMIC_NONE = 0,
	FEAT_DYNAMIC_DATA_LOC,
	FEAT_DYNAMIC_REL_LOC,
};

/**
 * struct feat_tracepoint - one entry of the catalog, owned by it.
 * @sz: sizeof(struct feat_tracepoint) as the library knows it.
 * @system: the tracefs system ("sched"), NULL for a tracepoint without a
 *	tracefs event (a bare DECLARE_TRACE such as pelt_cfs_tp).
 * @name: the event / tracepoint name ("sched_switch").
 * @classic: the classic form exists (a format file of an event that takes
 *	BPF programs).
 * @raw: the raw form exists (a btf_trace_NAME typedef in BTF).
 * @classic_missing: why @classic is false, NULL when it is true.
 * @raw_missing: why @raw is false, NULL when it is true.
 * @raw_equivalent: for syscalls:*, the raw tracepoint that carries the same
 *	event ("raw_syscalls:sys_enter", filtered on the syscall number); NULL
 *	otherwise.
 * @n_args: the raw form's argument count, -1 without a raw form.
 * @module: the kernel module whose BTF describes the tracepoint, NULL for
 *	vmlinux's (and for a tracefs event that no BTF describes). Since: 0.1
 * @btf_object: the BTF object the raw form was read from: "vmlinux" or the
 *	module's name; NULL without a raw form. Since: 0.1
 * @module_loaded: @module is loaded: its BTF was read from
 *	/sys/kernel/btf/MODULE. False for a module that is not loaded (its BTF
 *	is the .BTF section of its file), whose tracefs system is unknown:
 *	TRACE_SYSTEM is not in BTF, so @system is NULL and the catalog names
 *	it "MODULE/NAME". Since: 0.1
 *
 * Fields are only ever added at the end.
 *
 * Since: 0.1
 */
struct feat_tracepoint {
	size_t sz;
	const char *system;
	const char *name;
	bool classic;
	bool raw;
	const char *classic_missing;
	const char *raw_missing;
	const char *raw_equivalent;
	int n_args;
	const char *module;
	const char *btf_object;
	bool module_loaded;
};

struct feat_catalog;

/**
 * feat_catalog_new() - list every tracepoint of the kernel.
 * @ctx: the context (reads tracefs, through a detached mount when needed,
 *	and the full BTF).
 * @catalog: set to a new catalog; free with feat_catalog_free().
 *
 * Entries are sorted by system (tracefs-less ones last, vmlinux's before
 * the modules'), then name. Tracefs events of loaded modules get their raw
 * form from the module's BTF (/sys/kernel/btf/MODULE, split over vmlinux's);
 * a module tracepoint without a tracefs event is named "MODULE/NAME".
 * Modules that are not loaded are listed only by feat_catalog_new_flags()
 * with %FEAT_CATALOG_MODULE_FILES.
 * Without tracefs (offline, or no permission) the catalog holds the BTF
 * tracepoints only, without systems, and their classic form is the one BTF
 * can give (see feat_layout_classic_source()); without BTF, the tracefs
 * events only. With a root tree (feat_opts.root), tracefs is read from
 * ROOT/sys/kernel/tracing as saved by "featprobe export-formats".
 *
 * Return: 0, -ENODATA when neither tracefs nor BTF could be read, -ENOMEM.
 *
 * Since: 0.1
 */
FEAT_API int feat_catalog_new(struct feat_ctx *ctx, struct feat_catalog **catalog);

/**
 * enum feat_catalog_flags - what feat_catalog_new_flags() adds.
 * @FEAT_CATALOG_MODULE_FILES: the tracepoints of modules that are not
 *	loaded, from the .BTF section of every module file modules.dep lists
 *	(/lib/modules/R under the root; .ko, .ko.gz, .ko.xz, .ko.zst). Slow:
 *	every module file is read (0.15 s for the 1,121 .ko files of
 *	Debian's 6.1 cloud kernel, 2.5 s for the 1,138 .ko.xz of its 6.12). Their entries have no
 *	system (BTF does not hold TRACE_SYSTEM), @module set, @module_loaded
 *	false, and the classic form BTF's trace_event_raw_ structs give.
 *	Files that cannot be read are logged (one line each) and skipped.
 *
 * Since: 0.1
 */
enum feat_catalog_flags {
	FEAT_CATALOG_MODULE_FILES = 1u << 0,
};

/**
 * feat_catalog_new_flags() - feat_catalog_new() with &enum
 * feat_catalog_flags. Return: as feat_catalog_new(); -EINVAL for an
 * unknown flag. Since: 0.1
 */
FEAT_API int feat_catalog_new_flags(struct feat_ctx *ctx, unsigned int flags,
				    struct feat_catalog **catalog);

/** feat_catalog_count() - the number of entries. Since: 0.1 */
FEAT_API size_t feat_catalog_count(const struct feat_catalog *catalog);

/**
 * feat_catalog_get() - iterate: entry @i, for i in [0, feat_catalog_count()).
 * Return: the entry (owned by @catalog), NULL past the end.
 * Since: 0.1
 */
FEAT_API const struct feat_tracepoint *
feat_catalog_get(const struct feat_catalog *catalog, size_t i);

/**
 * feat_catalog_find() - look a tracepoint up by name.
 * @catalog: the catalog.
 * @name: "SYS:NAME", or "NAME" alone when only one system has it. A
 *	catalog built from BTF alone (offline, without saved format files)
 *	knows no systems: "SYS:NAME" then finds the entry NAME. A module's
 *	tracepoint without a tracefs event: "MODULE/NAME".
 * @tp: set to the entry.
 *
 * Return: 0; -ENOENT when nothing has that name, -ENOTUNIQ when NAME is in
 * several systems; -EINVAL for a malformed name.
 *
 * Since: 0.1
 */
FEAT_API int feat_catalog_find(const struct feat_catalog *catalog,
			       const char *name,
			       const struct feat_tracepoint **tp);

/**
 * feat_catalog_suggest() - the names closest to a misspelt one.
 * @catalog: the catalog.
 * @name: the name that was not found.
 * @out: filled with up to @n names ("SYS:NAME", or "NAME" for a tracepoint
 *	without a system), closest first, owned by @catalog.
 * @n: room in @out.
 *
 * Return: how many names were written (0 when nothing is close).
 * Since: 0.1
 */
FEAT_API size_t feat_catalog_suggest(struct feat_catalog *catalog,
				     const char *name, const char **out,
				     size_t n);

struct feat_layout;

/**
 * feat_catalog_layout() - feat_layout_resolve() for entry @i of @catalog,
 * faster when many are resolved (the catalog's BTF name index is used).
 * @catalog: the catalog; the layout does not depend on it once made.
 * @i: the entry.
 * @flags: as for feat_layout_resolve().
 * @layout: set to a new layout; free with feat_layout_free().
 *
 * Return: as feat_layout_resolve(); -EINVAL for a bad @i.
 * Since: 0.1
 */
FEAT_API int feat_catalog_layout(const struct feat_catalog *catalog, size_t i,
				 unsigned int flags, struct feat_layout **layout);

/** feat_catalog_free() - free a catalog; NULL is fine. Since: 0.1 */
FEAT_API void feat_catalog_free(struct feat_catalog *catalog);

/**
 * struct feat_layout_field - one field of the classic record.
 * @sz: sizeof(struct feat_layout_field) as the library knows it.
 * @name: the field name.
 * @type: its C type as the format file declares it, without the array
 *	brackets ("char" for "char prev_comm[16]" and for "__data_loc char[]");
 *	as btf_dump prints it when laid out from BTF, and then empty for a
 *	dynamic field (BTF does not say what a __data_loc holds).
 * @offset: offset from the record start (what R1 points at).
 * @size: bytes the field occupies in the record. syscalls:* argument fields
 *	declare their argument's type (@type "int") in an 8-byte slot: @size
 *	is the slot, @type_size the declared type's size.
 * @is_signed: the format file's "signed:".
 * @common: part of the common header (common_type, common_pid, ...).
 * @array: the length of a fixed array, 0 for a flexible "[]" array, -1
 *	when the field is not an array (dynamic arrays: -1, see @dynamic).
 * @dynamic: a __data_loc / __rel_loc locator (a u32 of @size 4).
 * @type_size: the size of @type when known (builtin C types, BTF), else 0.
 *
 * Since: 0.1
 */
struct feat_layout_field {
	size_t sz;
	const char *name;
	const char *type;
	unsigned int offset;
	unsigned int size;
	bool is_signed;
	bool common;
	long array;
	enum feat_dynamic dynamic;
	unsigned int type_size;
};

/**
 * struct feat_layout_arg - one argument of the raw form.
 * @sz: sizeof(struct feat_layout_arg) as the library knows it.
 * @name: the TP_PROTO parameter name, or "argN" when BTF has none.
 * @type: the C type as libbpf's btf_dump prints it ("struct task_struct *").
 * @slot: the u64 slot index: the argument is at ctx + 8 * @slot, zero-
 *	extended by the kernel (__CAST_TO_U64): load the slot, then truncate or
 *	sign-extend to @size bytes.
 * @size: the size of @type in bytes (at most 8).
 * @is_signed: a signed integer or enum type.
 * @pointee: for a pointer to a struct or union, its tag ("struct
 *	task_struct"); NULL otherwise.
 * @btf_id: the BTF type id of @type in the context's vmlinux BTF.
 *
 * Since: 0.1
 */
struct feat_layout_arg {
	size_t sz;
	const char *name;
	const char *type;
	unsigned int slot;
	unsigned int size;
	bool is_signed;
	const char *pointee;
	uint32_t btf_id;
};

struct feat_layout;

/**
 * feat_layout_resolve() - lay out both forms of one tracepoint.
 * @ctx: the context.
 * @name: "SYS:NAME", or "NAME" when unambiguous, or "MODULE/NAME": the
 *	tracepoint NAME of kernel module MODULE, from its BTF in
 *	/sys/kernel/btf/MODULE when it is loaded, else from the .BTF section
 *	of its file (found through libkmod in /lib/modules/R). "SYS:NAME" and
 *	"NAME" find a loaded module's tracepoints too (vmlinux's BTF first,
 *	then the module named SYS, then every loaded module's), never a
 *	module that is not loaded.
 * @flags: the forms wanted, %FEAT_FORM_CLASSIC and/or %FEAT_FORM_RAW; 0
 *	means both.
 * @layout: set to a new layout; free with feat_layout_free().
 *
 * A form the tracepoint does not have is not an error: the layout says so
 * and why (feat_layout_missing()).
 *
 * Return: 0; -ENOENT for an unknown name (the closest names are logged),
 * -ENODATA when neither tracefs nor BTF could be read to look it up,
 * -ENOTUNIQ for a NAME in several systems, -EBADMSG for a malformed format
 * file (a one-line error naming file and line is logged), -EINVAL for bad
 * arguments, -ENOMEM.
 *
 * Since: 0.1
 */
FEAT_API int feat_layout_resolve(struct feat_ctx *ctx, const char *name,
				 unsigned int flags,
				 struct feat_layout **layout);

/**
 * feat_layout_tracepoint() - which tracepoint, its forms and why one is
 * missing. Return: owned by @layout. Since: 0.1
 */
FEAT_API const struct feat_tracepoint *
feat_layout_tracepoint(const struct feat_layout *layout);

/**
 * feat_layout_raw_btf_id() - the BTF id of typedef btf_trace_NAME in the
 * context's vmlinux BTF: the attach_btf_id a tp_btf program
 * (BPF_PROG_TYPE_TRACING, expected_attach_type BPF_TRACE_RAW_TP) is loaded
 * with. 0 without a raw form, and 0 for a module's tracepoint: its typedef
 * is in the module's BTF, not in vmlinux's (see feat_layout_raw_btf_obj_id()).
 * Since: 0.1
 */
FEAT_API uint32_t feat_layout_raw_btf_id(const struct feat_layout *layout);

/**
 * feat_layout_raw_btf_obj_id() - the id of typedef btf_trace_NAME in the BTF
 * object that holds it.
 * @layout: the layout.
 * @object: set to "vmlinux" or the module's name (owned by @layout); NULL
 *	without a raw form.
 *
 * A module's type ids continue vmlinux's, as the kernel numbers them in the
 * module's BTF object (/sys/kernel/btf/MODULE). A tp_btf program for a
 * module's tracepoint is loaded with this id as attach_btf_id AND the fd of
 * the module's BTF object as attach_btf_obj_fd (Linux 5.11+, commit
 * 290248a5b7d8 "bpf: Allow to specify kernel module BTFs when attaching BPF
 * programs"); find that fd with BPF_BTF_GET_NEXT_ID / BPF_BTF_GET_FD_BY_ID
 * and the object's name (bpf_btf_info.name). For a module that is not
 * loaded the id is what the module's BTF will have once it is.
 *
 * Return: the id, 0 without a raw form.
 * Since: 0.1
 */
FEAT_API uint32_t feat_layout_raw_btf_obj_id(const struct feat_layout *layout,
					     const char **object);

/**
 * feat_layout_has() - whether @layout holds @form (resolved and present).
 * Since: 0.1
 */
FEAT_API bool feat_layout_has(const struct feat_layout *layout,
			      enum feat_form form);

/**
 * feat_layout_missing() - why @form is absent from @layout, or NULL when
 * it is present. Since: 0.1
 */
FEAT_API const char *feat_layout_missing(const struct feat_layout *layout,
					 enum feat_form form);

/**
 * feat_layout_classic_source() - where the classic form was read:
 * "tracefs events/SYS/NAME/format", "saved tracefs ..." (a --root tree), or
 * "BTF struct trace_event_raw_CLASS" when no format file could be read (then
 * __data_loc fields have an empty @type: BTF does not say what they hold),
 * "BTF struct trace_event_raw_CLASS of module MODULE (SOURCE)" for a module
 * whose event tracefs does not show (SOURCE: its file, or
 * /sys/kernel/btf/MODULE).
 * NULL without a classic form. Since: 0.1
 */
FEAT_API const char *feat_layout_classic_source(const struct feat_layout *layout);

/**
 * feat_layout_classic_size() - the classic record's size (the end of its
 * last field), 0 without a classic form. Since: 0.1
 */
FEAT_API unsigned int feat_layout_classic_size(const struct feat_layout *layout);

/**
 * feat_layout_header_size() - the size of the classic common header as the
 * format file gives it (8 on current kernels). Since: 0.1
 */
FEAT_API unsigned int feat_layout_header_size(const struct feat_layout *layout);

/** feat_layout_field_count() - classic fields, common header included. Since: 0.1 */
FEAT_API size_t feat_layout_field_count(const struct feat_layout *layout);

/**
 * feat_layout_field() - classic field @i, in format file order.
 * Return: owned by @layout; NULL past the end.
 * Since: 0.1
 */
FEAT_API const struct feat_layout_field *
feat_layout_field(const struct feat_layout *layout, size_t i);

/** feat_layout_arg_count() - raw arguments (0 without a raw form). Since: 0.1 */
FEAT_API size_t feat_layout_arg_count(const struct feat_layout *layout);

/**
 * feat_layout_arg() - raw argument @i (slot @i).
 * Return: owned by @layout; NULL past the end.
 * Since: 0.1
 */
FEAT_API const struct feat_layout_arg *
feat_layout_arg(const struct feat_layout *layout, size_t i);

/**
 * feat_layout_c() - the C text of the wrapped forms.
 * @layout: the layout.
 * @forms: %FEAT_FORM_CLASSIC, %FEAT_FORM_RAW or both; forms @layout lacks
 *	are left out (a comment says why).
 * @prefix: the struct tag prefix; NULL for "stapprobe_".
 * @text: set to the text (malloc'd; the caller frees it).
 *
 * Each form is "struct PREFIXNAME { ... struct { ... } data; };": classic
 * starts with "unsigned long long pad;" when the common header is 8 bytes,
 * with the real common fields otherwise; raw members carry
 * __attribute__((aligned(8))). Before them come the declarations they need:
 * forward declarations of structs behind pointers, and full definitions
 * (libbpf's btf_dump) of typedefs, enums and unions used by value. With
 * both forms, which share a tag, the raw one is compiled when
 * STAPPROBE_RAW is defined and the classic one otherwise.
 *
 * Return: 0, -EINVAL when the tracepoint's name is not a C identifier (a
 * hostile root tree), -ENOMEM, or the errno of a failed BTF dump.
 * Since: 0.1
 */
FEAT_API int feat_layout_c(const struct feat_layout *layout, unsigned int forms,
			   const char *prefix, char **text);

/**
 * feat_layouts_c() - the C text of many layouts as one compilable unit.
 * @layouts: the layouts, all resolved on the same context.
 * @n: how many.
 * @forms: @prefix: @text: as for feat_layout_c().
 *
 * Declarations shared by several layouts (typedefs, enums, unions, forward
 * declarations) are written once. Tags must be unique: tracepoints of the
 * same name in two systems need distinct prefixes (two calls).
 *
 * A unit may mix tracepoints of vmlinux and of modules: a type of
 * vmlinux is declared once whichever layout needs it, a module's own
 * types through that module's BTF.
 *
 * Return: 0, -EINVAL for a NULL layout,
 * -ENOMEM, or the errno of a failed BTF dump.
 * Since: 0.1
 */
FEAT_API int feat_layouts_c(const struct feat_layout *const *layouts, size_t n,
			    unsigned int forms, const char *prefix, char **text);

/**
 * feat_layout_json() - the layout as a JSON object:
 * {"tracepoint", "classic": {"size", "common": [...], "fields": [{"name",
 * "type", "offset", "size", "signed", "array", "dynamic"}]}, "raw": {"args":
 * [{"name", "type", "slot", "size", "signed"}]}}; a missing form is null,
 * with "classic_missing" / "raw_missing" giving the reason. The object
 * also has "module" (the module's name or null) and "btf_object"
 * ("vmlinux", the module's name, or null without BTF), and "raw" has
 * "btf_id", the id of typedef btf_trace_NAME in btf_object
 * (feat_layout_raw_btf_obj_id()).
 * @layout: the layout.
 * @forms: the forms to include; 0 means those resolved.
 * @text: set to the text (malloc'd; the caller frees it).
 *
 * Return: 0 or -ENOMEM.
 * Since: 0.1
 */
FEAT_API int feat_layout_json(const struct feat_layout *layout,
			      unsigned int forms, char **text);

/** feat_layout_free() - free a layout; NULL is fine. Since: 0.1 */
FEAT_API void feat_layout_free(struct feat_layout *layout);

/*
 * Access code: a target variable as BPF instructions.
 *
 * A session names what it wants the SystemTap way: "$prev_pid" (a classic
 * field), "$prev->pid", "$next->comm", "$task->mm->pgd" (raw arguments and
 * the members behind them), "$filename" (a __data_loc string or a char *).
 * feat_access_compile() turns one such expression into instructions for one
 * backend, to be pasted into the caller's own program.
 *
 * Register convention of the emitted code:
 *  - on entry, the program's context (R1 at program start) is in the
 *    register feat_access_opts.ctx_reg (R6 by default); it is preserved,
 *    as are R7-R9 and every other stack byte;
 *  - R0-R5 are clobbered (helper calls), and the 8 bytes at
 *    R10 + feat_access_opts.scratch_off;
 *  - an integer or a pointer ends in R0, extended to 64 bits as its C type
 *    says (sign-extended when signed, zero-extended otherwise);
 *  - a string is copied, NUL-terminated, to R10 + feat_access_opts.str_off:
 *    the first feat_access_type.size bytes of the buffer are written (the
 *    verifier knows them as initialised); R0 ends negative when the copy
 *    faulted. Char arrays in a classic record or behind a tp_btf pointer
 *    are copied with loads, without a helper (so under
 *    lockdown=confidentiality too);
 *  - a read that faults (a NULL pointer on the way) gives 0, or an empty
 *    string;
 *  - the code falls through at its end: no exit, no jump leaves it.
 */

/**
 * enum feat_value_kind - what an expression evaluates to.
 * @FEAT_VALUE_INT: an integer (an enum, a bool, a char) in R0.
 * @FEAT_VALUE_PTR: a pointer in R0 (a pointer to anything but char).
 * @FEAT_VALUE_STRING: a string: a char array, a __data_loc char[], a char *.
 *
 * Since: 0.1
 */
enum feat_value_kind {
	FEAT_VALUE_INT = 1,
	FEAT_VALUE_PTR,
	FEAT_VALUE_STRING,
};

/**
 * struct feat_access_opts - how the emitted code fits the caller's program.
 * @sz: sizeof(struct feat_access_opts).
 * @ctx_reg: the register holding the context, 6 to 9; 0 means 6.
 * @scratch_off: offset from R10 of 8 scratch bytes (negative, a multiple of
 *	8); 0 means -8.
 * @str_off: offset from R10 of the string buffer (negative, a multiple of
 *	8); 0 means just below the scratch bytes.
 * @str_size: the string buffer's size in bytes, NUL included; 0 means 64.
 *
 * Fields are only ever added at the end.
 *
 * Since: 0.1
 */
struct feat_access_opts {
	size_t sz;
	int ctx_reg;
	int scratch_off;
	int str_off;
	unsigned int str_size;
};

/**
 * struct feat_access_type - the type of an expression's value.
 * @sz: sizeof(struct feat_access_type) as the library knows it.
 * @kind: integer, pointer or string.
 * @size: for an integer or a pointer, its size in bytes (1, 2, 4, 8); for
 *	a string, the most bytes it can have with its NUL (the char array's
 *	length, or feat_access_opts.str_size).
 * @is_signed: a signed integer.
 * @c_type: its C type ("pid_t", "struct mm_struct *", "char[16]").
 * @user: the string or pointer is in user memory (syscall arguments).
 *
 * Since: 0.1
 */
struct feat_access_type {
	size_t sz;
	enum feat_value_kind kind;
	unsigned int size;
	bool is_signed;
	const char *c_type;
	bool user;
};

struct feat_access;
struct bpf_insn;

/**
 * feat_access_compile() - BPF instructions that read one target variable.
 * @layout: the tracepoint's layout, with the form @backend reads (classic
 *	for %FEAT_BACKEND_TRACEPOINT, raw for the others).
 * @expr: "$NAME" followed by any of "->MEMBER", ".MEMBER", "[N]".
 * @backend: %FEAT_BACKEND_TP_BTF, %FEAT_BACKEND_RAW_TP or
 *	%FEAT_BACKEND_TRACEPOINT.
 * @opts: where the code may write; NULL for the defaults.
 * @access: set to the compiled access; free with feat_access_free().
 *
 * On the running kernel, which helper reads kernel memory
 * (bpf_probe_read_kernel, or bpf_probe_read before 5.5) is decided by
 * loading a program that calls it; offline, by the BTF's enum bpf_func_id.
 *
 * Return: 0; -EINVAL for a malformed expression or bad options, -ENOENT for
 * a name or member that does not exist (the valid names are logged),
 * -EMEDIUMTYPE for an expression whose value is a struct or union ("not a
 * scalar: name a member"), -EOPNOTSUPP when @layout lacks the form @backend
 * reads (syscalls:* on a raw backend: the raw equivalent is logged),
 * -ERANGE for an index past a fixed array's end, -ENOMEM. Every error is
 * also logged as one line naming the tracepoint and the expression.
 *
 * Since: 0.1
 */
FEAT_API int feat_access_compile(const struct feat_layout *layout,
				 const char *expr, enum feat_backend backend,
				 const struct feat_access_opts *opts,
				 struct feat_access **access);

/**
 * feat_access_insns() - the instructions.
 * @access: the compiled access.
 * @count: set to the number of struct bpf_insn (a 64-bit immediate load
 *	counts two).
 * Return: owned by @access.
 * Since: 0.1
 */
FEAT_API const struct bpf_insn *feat_access_insns(const struct feat_access *access,
						  size_t *count);

/** feat_access_type() - the value's type. Return: owned by @access. Since: 0.1 */
FEAT_API const struct feat_access_type *
feat_access_type(const struct feat_access *access);

/**
 * feat_access_regs() - the registers the code writes, as a bit mask
 * (bit n for Rn). Since: 0.1
 */
FEAT_API unsigned int feat_access_regs(const struct feat_access *access);

/**
 * feat_access_asm() - the instructions as the kernel verifier prints them,
 * one per line ("0: (61) r0 = *(u32 *)(r6 +24)").
 * @access: the compiled access.
 * @text: set to the text (malloc'd; the caller frees it).
 * Return: 0 or -ENOMEM.
 * Since: 0.1
 */
FEAT_API int feat_access_asm(const struct feat_access *access, char **text);

/**
 * feat_access_json() - the access as a JSON object: {"tracepoint", "expr",
 * "backend", "type": {"kind", "size", "signed", "c_type", "user"},
 * "registers": [...], "insns": [{"code", "dst", "src", "off", "imm",
 * "asm"}]}.
 * @access: the compiled access.
 * @text: set to the text (malloc'd; the caller frees it).
 * Return: 0 or -ENOMEM.
 * Since: 0.1
 */
FEAT_API int feat_access_json(const struct feat_access *access, char **text);

/** feat_access_free() - free an access; NULL is fine. Since: 0.1 */
FEAT_API void feat_access_free(struct feat_access *access);

#ifdef __cplusplus
}
#endif

#endif /* LIBFEAT_FEAT_H */
