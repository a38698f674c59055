// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The classic form without tracefs: from BTF's trace_event_raw_CLASS
 * structs (include/trace/trace_events.h, DECLARE_EVENT_CLASS ->
 * struct trace_event_raw_##name { struct trace_entry ent; fields...;
 * char __data[]; }).
 *
 * BTF has no event-to-class map. A TRACE_EVENT's class has the event's
 * name; a DEFINE_EVENT's class is found by its probe: the class's
 * __bpf_trace_CLASS(void *__data, TP_PROTO) must take the same parameter
 * types as btf_trace_EVENT. When several classes do and their structs
 * differ, the event cannot be laid out from BTF alone: the candidates are
 * listed. BTF also has no element types for __data_loc fields
 * (u32 __data_loc_NAME) and no structs for syscalls:* events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "layout-internal.h"

#define RAW_PREFIX "trace_event_raw_"
#define PROBE_PREFIX "__bpf_trace_"

static bool same_params(const struct btf *btf, int32_t proto_a, int32_t func_b)
{
	const struct btf_type *a = btf__type_by_id(btf, proto_a);
	const struct btf_type *f = btf__type_by_id(btf, func_b);
	const struct btf_type *b = f ? btf__type_by_id(btf, f->type) : NULL;

	if (!a || !b || !btf_is_func_proto(b) || btf_vlen(a) != btf_vlen(b))
		return false;
	for (unsigned int i = 1; i < btf_vlen(a); i++)
		if (btf_params(a)[i].type != btf_params(b)[i].type)
			return false;
	return true;
}

static bool same_struct(const struct btf *btf, int32_t x, int32_t y)
{
	const struct btf_type *a = btf__type_by_id(btf, x), *b = btf__type_by_id(btf, y);

	if (a->size != b->size || btf_vlen(a) != btf_vlen(b))
		return false;
	for (unsigned int i = 0; i < btf_vlen(a); i++) {
		const struct btf_member *ma = btf_members(a) + i, *mb = btf_members(b) + i;

		if (ma->type != mb->type || ma->offset != mb->offset ||
		    strcmp(btf__name_by_offset(btf, ma->name_off),
			   btf__name_by_offset(btf, mb->name_off)) != 0)
			return false;
	}
	return true;
}

int feat_classic_btf_find(const struct btf *btf, const struct feat_btf_index *idx,
			  const char *name, int32_t proto_id, char *why, size_t size)
{
	char sname[300], list[400] = "";
	int32_t found = 0, first, id;
	size_t len = 0, n, candidates = 0;
	bool differ = false;

	snprintf(sname, sizeof(sname), RAW_PREFIX "%s", name);
	id = feat_btf_find(btf, idx, sname, BTF_KIND_STRUCT);
	if (id > 0)
		return id;
	/* A tracepoint without an event (bare DECLARE_TRACE) has a probe of
	 * its own name but no record. */
	snprintf(sname, sizeof(sname), PROBE_PREFIX "%s", name);
	if (feat_btf_find(btf, idx, sname, BTF_KIND_FUNC) > 0) {
		snprintf(why, size, "no tracefs format file, and BTF shows a tracepoint without an event (%s but no struct " RAW_PREFIX "%s)",
			 sname, name);
		return -ENOENT;
	}
	snprintf(sname, sizeof(sname), RAW_PREFIX "%s", name);
	if (proto_id <= 0) {
		snprintf(why, size, "no tracefs format file, and BTF has neither struct %s nor a btf_trace_%s typedef to find its class by",
			 sname, name);
		return -ENOENT;
	}
	/* Every class whose probe takes the same arguments. */
	n = feat_btf_index_prefix(idx, PROBE_PREFIX, &first);
	for (size_t i = 0; i < n; i++) {
		const char *class;
		uint32_t fid = feat_btf_index_entry(idx, (size_t)first + i, BTF_KIND_FUNC, &class);
		int32_t sid;

		if (!fid || !same_params(btf, proto_id, (int32_t)fid))
			continue;
		class += strlen(PROBE_PREFIX);
		snprintf(sname, sizeof(sname), RAW_PREFIX "%s", class);
		sid = feat_btf_find(btf, idx, sname, BTF_KIND_STRUCT);
		if (sid <= 0)
			continue;
		candidates++;
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						len ? ", " : "", class);
		if (!found)
			found = sid;
		else if (!same_struct(btf, found, sid))
			differ = true;
	}
	if (candidates == 0) {
		snprintf(why, size, "no tracefs format file, and no trace_event_raw_ struct in BTF fits btf_trace_%s",
			 name);
		return -ENOENT;
	}
	if (differ) {
		snprintf(why, size,
			 "no tracefs format file, and BTF cannot tell its class: candidates %s have different layouts",
			 list);
		return -ENOTUNIQ;
	}
	return found;
}

static const struct btf_type *resolve_mods(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

static bool type_is_signed(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = resolve_mods(btf, id);

	if (t && btf_is_int(t))
		return btf_int_encoding(t) & BTF_INT_SIGNED;
	if (t && btf_is_any_enum(t))
		return btf_kflag(t);
	return false;
}

static int add_field(struct feat_format *fmt, const char *name, char *type, unsigned int offset,
		     unsigned int size, bool is_signed, long array, enum feat_dynamic dyn,
		     bool common)
{
	struct feat_layout_field *f, *v;

	v = realloc(fmt->fields, (fmt->n_fields + 1) * sizeof(*v));
	if (!v) {
		free(type);
		return -ENOMEM;
	}
	fmt->fields = v;
	f = &v[fmt->n_fields];
	memset(f, 0, sizeof(*f));
	f->sz = sizeof(*f);
	f->name = strdup(name);
	f->type = type;
	if (!f->name || !f->type) {
		free((char *)f->name);
		free(type);
		return -ENOMEM;
	}
	f->offset = offset;
	f->size = size;
	f->is_signed = is_signed;
	f->array = array;
	f->dynamic = dyn;
	f->common = common;
	fmt->n_fields++;
	if (common) {
		fmt->n_common = fmt->n_fields;
		if (offset + size > fmt->header_size)
			fmt->header_size = offset + size;
	}
	if (offset + size > fmt->size)
		fmt->size = offset + size;
	return 0;
}

/* One member of a trace_event_raw_ struct as a classic field. */
static int add_member(const struct btf *btf, struct feat_namer *namer, struct feat_format *fmt,
		      const char *name, uint32_t type, unsigned int offset, bool common)
{
	const struct btf_type *t = btf__type_by_id(btf, type);
	int size = btf__resolve_size(btf, type);
	uint32_t elem = type;
	long array = -1;

	if (size < 0)
		return size;
	if (strncmp(name, "__data_loc_", 11) == 0)
		return add_field(fmt, name + 11, strdup(""), offset, (unsigned int)size, false, -1,
				 FEAT_DYNAMIC_DATA_LOC, common);
	if (strncmp(name, "__rel_loc_", 10) == 0)
		return add_field(fmt, name + 10, strdup(""), offset, (unsigned int)size, false, -1,
				 FEAT_DYNAMIC_REL_LOC, common);
	if (t && btf_is_array(t)) {
		array = (long)btf_array(t)->nelems;
		elem = btf_array(t)->type;
	}
	return add_field(fmt, name, feat_namer_type(namer, elem), offset, (unsigned int)size,
			 type_is_signed(btf, elem), array, FEAT_DYNAMIC_NONE, common);
}

int feat_classic_btf_fields(const struct btf *btf, struct feat_namer *namer, int32_t struct_id,
			    struct feat_format *fmt)
{
	const struct btf_type *s = btf__type_by_id(btf, struct_id);
	int r = 0;

	memset(fmt, 0, sizeof(*fmt));
	fmt->id = -1;
	if (!s || !btf_is_struct(s))
		return -EINVAL;
	for (unsigned int i = 0; r == 0 && i < btf_vlen(s); i++) {
		const struct btf_member *m = btf_members(s) + i;
		const char *name = btf__name_by_offset(btf, m->name_off);
		unsigned int offset = btf_member_bit_offset(s, i) / 8;

		if (btf_member_bitfield_size(s, i) || (btf_member_bit_offset(s, i) % 8)) {
			r = -EOPNOTSUPP; /* no TP_STRUCT__entry field is a bitfield */
			break;
		}
		if (i == 0 && strcmp(name, "ent") == 0) {
			/* struct trace_entry: the common header, named as tracefs
			 * names it (trace_define_common_fields()). */
			const struct btf_type *e = resolve_mods(btf, m->type);

			for (unsigned int j = 0; e && btf_is_struct(e) && j < btf_vlen(e); j++) {
				const struct btf_member *em = btf_members(e) + j;
				char cname[128];

				snprintf(cname, sizeof(cname), "common_%s",
					 btf__name_by_offset(btf, em->name_off));
				r = add_member(btf, namer, fmt, cname, em->type,
					       offset + btf_member_bit_offset(e, j) / 8, true);
				if (r < 0)
					break;
			}
			continue;
		}
		/* The trailing flexible array that holds dynamic data. */
		if (strcmp(name, "__data") == 0 && i + 1 == btf_vlen(s))
			continue;
		r = add_member(btf, namer, fmt, name, m->type, offset, false);
	}
	if (r == 0 && fmt->n_common == 0)
		r = -EINVAL;
	if (r < 0)
		feat_format_release(fmt);
	return r;
}
